package io.github.outboxrelay.benchmark;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Baseline (c)'s drain: Debezium streams from its slot before the events exist; it first drains
 * {@code BENCH_WARMUP_EVENTS}, as the relay does, then one transaction inserts the timed events.
 * Timed from that commit to Kafka's last acknowledgement. PostgreSQL's cost leaves the insert out:
 * the inserting backend is excluded from the CPU figure and the WAL is read from after its commit.
 */
final class DebeziumDrain {

  record Result(Measurement measured, PostgresCost.Result cost, long peakResidentBytes) {}

  private DebeziumDrain() {}

  static Result run(BenchmarkSettings settings, OutboxData data, String bootstrapServers)
      throws Exception {
    int events = settings.events();
    data.refill(0); // empty, vacuumed and checkpointed before the slot exists
    try (DebeziumProcess debezium = DebeziumProcess.start(settings, data, bootstrapServers);
        PostgresCost cost = PostgresCost.open(data);
        Connection fill = data.connect()) {
      Set<Long> fillBackend = Set.of(PostgresCost.backendPid(fill));
      int warmup = settings.warmupEvents();
      if (warmup > 0) {
        Progress.say("  streaming; warm-up: %,d rows in one transaction", warmup);
        data.insertPending(fill, warmup);
        debezium.awaitAcknowledged(warmup, Duration.ofMinutes(30));
      }
      long cpuBefore = cost.cpuTicks(fillBackend);
      Progress.say("  streaming; filling %,d rows in one transaction", events);
      data.insertPending(fill, events); // autocommit: returns once committed
      long committedMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
      PostgresCost.Sample before = cost.afterFill(cpuBefore);
      DebeziumProcess.Status status =
          debezium.awaitAcknowledged((long) warmup + events, Duration.ofMinutes(30));
      PostgresCost.Sample after = cost.sample(fillBackend);
      Measurement measured =
          new Measurement(events, (status.lastAckEpochMicros() - committedMicros) / 1e6);
      Result result =
          new Result(measured, cost.between(before, after, events), debezium.peakResidentBytes());
      Progress.say(
          "  %,.0f events/s (commit to last ack), peak resident %d MiB",
          measured.eventsPerSecond(), result.peakResidentBytes() / (1024 * 1024));
      return result;
    }
  }
}
