package io.github.outboxrelay.benchmark;

/**
 * Benchmark 4: the relay's drain rate over an outbox that keeps a large published history
 * (retention off), against the same drain over an empty table. The claim walking the primary key
 * from its cursor, above the history, is what should make the history nearly free.
 */
final class HistoryBenchmark {

  record Result(int events, long historyRows, Measurement emptyTable, Measurement withHistory) {

    double ratio() {
      return withHistory.eventsPerSecond() / emptyTable.eventsPerSecond();
    }
  }

  private HistoryBenchmark() {}

  static Result run(BenchmarkSettings settings, OutboxData data, String bootstrapServers)
      throws Exception {
    int events = settings.historyEvents();
    long history = settings.historyRows();
    int batchSize = settings.effectiveBatchSize();
    Progress.say("history: drain of %,d events over an empty table", events);
    Measurement empty =
        DrainBenchmark.relayDrain(settings, data, bootstrapServers, batchSize, events, 0)
            .measured();
    Progress.say("  %,.0f events/s", empty.eventsPerSecond());
    Progress.say(
        "history: drain of %,d events over %,d published rows kept (filling takes a while)",
        events, history);
    Measurement withHistory =
        DrainBenchmark.relayDrain(settings, data, bootstrapServers, batchSize, events, history)
            .measured();
    Progress.say("  %,.0f events/s", withHistory.eventsPerSecond());
    data.refill(0); // give the space back
    return new Result(events, history, empty, withHistory);
  }
}
