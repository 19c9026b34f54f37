package io.github.outboxrelay.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 1: N committed events drained by the relay, beside (a) Kafka alone and (b) PostgreSQL
 * alone, on the same data in the same run; benchmark 5: the relay's memory while draining.
 */
final class DrainBenchmark {

  record Result(
      int batchSize,
      Measurement producerOnly,
      Measurement databaseOnly,
      Measurement relay,
      double relayWallSeconds,
      long peakHeapBytes,
      long peakResidentBytes) {

    double ratioToLimit() {
      return relay.eventsPerSecond()
          / Math.min(producerOnly.eventsPerSecond(), databaseOnly.eventsPerSecond());
    }
  }

  private DrainBenchmark() {}

  static Result run(BenchmarkSettings settings, OutboxData data, String bootstrapServers)
      throws Exception {
    int events = settings.events();
    Progress.say(
        "drain: (a) Kafka alone: %,d records from memory, relay producer settings", events);
    Measurement producerOnly = ProducerBaseline.run(settings, bootstrapServers);
    Progress.say("  %,.0f events/s", producerOnly.eventsPerSecond());

    int batchSize = settings.effectiveBatchSize();
    Progress.say(
        "drain: (b) PostgreSQL alone: filling %,d rows, then claim + mark in batches of %d",
        events, batchSize);
    data.refill(events);
    Measurement databaseOnly = DatabaseBaseline.run(data, batchSize);
    Progress.say("  %,.0f events/s", databaseOnly.eventsPerSecond());

    Progress.say(
        "drain: the relay (packaged jar, config/relay.yml, %s): filling %,d rows",
        settings.relayHeap(), events);
    data.refill(events);
    RelayRun run = relayDrain(settings, data, bootstrapServers, batchSize, events);
    return new Result(
        batchSize,
        producerOnly,
        databaseOnly,
        run.measured(),
        run.wallSeconds(),
        run.peakHeapBytes(),
        run.peakResidentBytes());
  }

  /** One drain by the packaged relay of what the outbox holds now. */
  record RelayRun(
      Measurement measured, double wallSeconds, long peakHeapBytes, long peakResidentBytes) {}

  static RelayRun relayDrain(
      BenchmarkSettings settings,
      OutboxData data,
      String bootstrapServers,
      int batchSize,
      int events)
      throws Exception {
    java.sql.Timestamp since = data.now();
    long start = System.nanoTime();
    try (RelayProcess relay = RelayProcess.start(settings, bootstrapServers, batchSize, Map.of())) {
      long lastReport = System.nanoTime();
      while (data.anyPending()) {
        relay.requireAlive();
        relay.sampleHeap();
        long now = System.nanoTime();
        if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
          Progress.say("  %,d of %,d left", data.pending(), events);
          lastReport = now;
        }
        TimeUnit.MILLISECONDS.sleep(100);
        if (now - start > Duration.ofMinutes(30).toNanos()) {
          throw new IllegalStateException("the relay did not drain within 30 minutes");
        }
      }
      double wall = (System.nanoTime() - start) / 1e9;
      relay.sampleHeap();
      long resident = relay.peakResidentBytes();
      double[] span = data.markSpan(since);
      Measurement measured = new Measurement((long) span[0], span[1]);
      Progress.say(
          "  %,.0f events/s (%.1f s from process start)", measured.eventsPerSecond(), wall);
      return new RelayRun(measured, wall, relay.peakHeapBytes(), resident);
    }
  }
}
