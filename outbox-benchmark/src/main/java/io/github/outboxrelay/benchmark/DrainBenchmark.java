package io.github.outboxrelay.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 1: N committed events drained by the relay, beside (a) Kafka alone, (b) PostgreSQL
 * alone and (c) Debezium, on the same data; (b), the relay and (c) once per round, the relay and
 * Debezium taking turns to go first. Benchmark 5: the relay's memory while draining. With each
 * drain, what it cost PostgreSQL.
 */
final class DrainBenchmark {

  /** (b), the relay and (c) in one round; {@code debezium} is null when it was left out. */
  record Round(
      int number,
      boolean relayFirst,
      Measurement databaseOnly,
      PostgresCost.Result databaseCost,
      RelayRun relay,
      DebeziumDrain.Result debezium) {

    double relayToDatabase() {
      return relay.measured().eventsPerSecond() / databaseOnly.eventsPerSecond();
    }

    double relayToDebezium() {
      return debezium == null
          ? Double.NaN
          : relay.measured().eventsPerSecond() / debezium.measured().eventsPerSecond();
    }
  }

  /** One drain by the packaged relay of what the outbox holds now. */
  record RelayRun(
      Measurement measured,
      double wallSeconds,
      long peakHeapBytes,
      long peakResidentBytes,
      PostgresCost.Result cost) {}

  private DrainBenchmark() {}

  /** Baseline (a): Kafka alone, the median of the timed runs after a warm-up. */
  static List<Measurement> producerOnly(BenchmarkSettings settings, String bootstrapServers) {
    Progress.say(
        "drain: (a) Kafka alone: %,d records from memory, relay producer settings, warm-up + %d runs",
        settings.events(), ProducerBaseline.TIMED_RUNS);
    List<Measurement> runs = ProducerBaseline.run(settings, bootstrapServers);
    runs.forEach(run -> Progress.say("  %,.0f events/s", run.eventsPerSecond()));
    return runs;
  }

  static Round round(
      BenchmarkSettings settings,
      OutboxData data,
      String bootstrapServers,
      int number,
      boolean withDebezium)
      throws Exception {
    int events = settings.events();
    int batchSize = settings.effectiveBatchSize();
    Progress.say(
        "drain, round %d: (b) PostgreSQL alone: filling %,d rows, then claim + %s in batches"
            + " of %d",
        number, events, DatabaseBaseline.describe(settings.published()), batchSize);
    data.refill(events);
    Measurement databaseOnly;
    PostgresCost.Result databaseCost;
    try (PostgresCost cost = PostgresCost.open(data)) {
      PostgresCost.Sample before = cost.sample(Set.of());
      databaseOnly = DatabaseBaseline.run(data, batchSize, settings.published());
      TimeUnit.MILLISECONDS.sleep(200); // its backend exits and is counted with the postmaster's
      databaseCost = cost.between(before, cost.sample(Set.of()), databaseOnly.events());
    }
    Progress.say("  %,.0f events/s", databaseOnly.eventsPerSecond());
    boolean relayFirst = number % 2 == 1;
    RelayRun relay = null;
    DebeziumDrain.Result debezium = null;
    for (boolean relayTurn : relayFirst ? List.of(true, false) : List.of(false, true)) {
      if (relayTurn) {
        Progress.say(
            "drain, round %d: the relay (packaged jar, config/relay.yml, %s): filling %,d rows",
            number, settings.relayHeap(), events);
        data.refill(events);
        relay = relayDrain(settings, data, bootstrapServers, batchSize, events);
      } else if (withDebezium) {
        Progress.say(
            "drain, round %d: (c) Debezium (embedded engine, EventRouter, %s)",
            number, settings.debeziumHeap());
        debezium = DebeziumDrain.run(settings, data, bootstrapServers);
      }
    }
    return new Round(number, relayFirst, databaseOnly, databaseCost, relay, debezium);
  }

  /**
   * The relay counts what it published, so the benchmark asks PostgreSQL nothing while it drains;
   * an older relay build without that meter (compare.sh's "before") is watched in the table.
   */
  private static boolean drained(RelayProcess relay, OutboxData data, int events)
      throws java.sql.SQLException {
    if (!relay.metricsRead()) {
      return false; // still starting
    }
    return relay.published() < 0 ? !data.anyPending() : relay.published() >= events;
  }

  /** How often the relay's meter is read while it drains: the precision of the drain rate. */
  private static final long SAMPLE_MILLIS = 50;

  /** The drain rate from the rows' marks, for a relay build without the published meter. */
  private static Measurement markSpan(OutboxData data, java.sql.Timestamp since) {
    try {
      double[] span = data.markSpan(since);
      return new Measurement((long) span[0], span[1]);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not read the marks of the drain", e);
    }
  }

  static RelayRun relayDrain(
      BenchmarkSettings settings,
      OutboxData data,
      String bootstrapServers,
      int batchSize,
      int events)
      throws Exception {
    java.sql.Timestamp since = data.now();
    try (PostgresCost cost = PostgresCost.open(data)) {
      PostgresCost.Sample before = cost.sample(Set.of());
      long start = System.nanoTime();
      try (RelayProcess relay =
          RelayProcess.start(settings, bootstrapServers, batchSize, Map.of())) {
        long lastReport = System.nanoTime();
        while (!drained(relay, data, events)) {
          relay.requireAlive();
          relay.sample();
          long now = System.nanoTime();
          if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
            Progress.say("  %,d of %,d published", Math.max(0, relay.published()), events);
            lastReport = now;
          }
          TimeUnit.MILLISECONDS.sleep(SAMPLE_MILLIS);
          if (now - start > Duration.ofMinutes(30).toNanos()) {
            throw new IllegalStateException("the relay did not drain within 30 minutes");
          }
        }
        PostgresCost.Sample after = cost.sample(Set.of());
        double wall = (System.nanoTime() - start) / 1e9;
        long resident = relay.peakResidentBytes();
        Measurement measured = relay.meteredSpan().orElseGet(() -> markSpan(data, since));
        Progress.say(
            "  %,.0f events/s (%.1f s from process start)", measured.eventsPerSecond(), wall);
        return new RelayRun(
            measured, wall, relay.peakHeapBytes(), resident, cost.between(before, after, events));
      }
    }
  }
}
