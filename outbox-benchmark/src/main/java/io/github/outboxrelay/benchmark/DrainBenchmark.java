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

    /**
     * The relay's rate over what this host could do if it did nothing but (a)'s and (b)'s work: its
     * cores over the busy CPU seconds per event of Kafka alone (median) and PostgreSQL alone (this
     * round). Where everything shares one host, the two ceilings do not add up to their minimum but
     * to this: the relay cannot beat it without doing less work than the baselines.
     */
    double relayToHostCeiling(Spread producerHostCpuPerMillion) {
      double perMillion =
          producerHostCpuPerMillion.median() + databaseCost.hostCpuSecondsPerMillionEvents();
      double ceiling = Runtime.getRuntime().availableProcessors() * 1_000_000 / perMillion;
      return relay.measured().eventsPerSecond() / ceiling;
    }

    double relayToDebezium() {
      return debezium == null
          ? Double.NaN
          : relay.measured().eventsPerSecond() / debezium.measured().eventsPerSecond();
    }
  }

  /**
   * One timed drain by the packaged relay; {@code coldStart} is its warm-up drain right after start
   * (null without one), {@code wallSeconds} from the timed fill's commit (or process start).
   */
  record RelayRun(
      Measurement measured,
      Measurement coldStart,
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
        "drain, round %d: (b) PostgreSQL alone: claim + %s in batches of %d, %,d warm-up"
            + " rows, then %,d timed",
        number,
        DatabaseBaseline.describe(settings.published()),
        batchSize,
        settings.warmupEvents(),
        events);
    int warmup = settings.warmupEvents();
    data.refill(warmup > 0 ? warmup : events);
    Measurement databaseOnly;
    PostgresCost.Result databaseCost;
    try (PostgresCost cost = PostgresCost.open(data);
        java.sql.Connection fill = data.connect();
        DatabaseBaseline baseline = DatabaseBaseline.open(data, batchSize, settings.published())) {
      Set<Long> fillBackend = Set.of(PostgresCost.backendPid(fill));
      PostgresCost.Sample before = cost.sample(fillBackend);
      if (warmup > 0) {
        baseline.drain();
        long cpuBefore = cost.cpuTicks(fillBackend);
        data.insertPending(fill, events);
        before = cost.afterFill(cpuBefore);
      }
      databaseOnly = baseline.drain(); // its backend is still open, so counted as a live child
      databaseCost = cost.between(before, cost.sample(fillBackend), databaseOnly.events());
    }
    Progress.say("  %,.0f events/s", databaseOnly.eventsPerSecond());
    boolean relayFirst = number % 2 == 1;
    RelayRun relay = null;
    DebeziumDrain.Result debezium = null;
    for (boolean relayTurn : relayFirst ? List.of(true, false) : List.of(false, true)) {
      if (relayTurn) {
        Progress.say(
            "drain, round %d: the relay (packaged jar, config/relay.yml, %s): %,d warm-up"
                + " events, then %,d timed",
            number, settings.relayHeap(), settings.warmupEvents(), events);
        relay = relayDrain(settings, data, bootstrapServers, batchSize, events, 0);
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
   * Whether the relay has published {@code events} in all. The relay counts what it published, so
   * the benchmark asks PostgreSQL nothing while it drains; an older relay build without that meter
   * (compare.sh's "before") is watched in the table.
   */
  private static boolean drained(RelayProcess relay, OutboxData data, long events)
      throws java.sql.SQLException {
    if (!relay.metricsRead()) {
      return false; // still starting
    }
    return relay.published() < 0 ? !data.anyPending() : relay.published() >= events;
  }

  /**
   * How often the relay's meter is read at the start and the end of a drain: the precision of the
   * drain rate. In between it is read less often (up to {@link #MAX_SAMPLE_MILLIS}), because each
   * read costs the relay: 20 reads a second took a tenth of its CPU in a JFR profile.
   */
  private static final long SAMPLE_MILLIS = 50;

  private static final long MAX_SAMPLE_MILLIS = 500;

  /**
   * Half the time the drain should still take at its rate so far, within the bounds: samples grow
   * dense again as the end nears, and land before it even if the rate doubles.
   */
  static long nextSampleMillis(java.util.Optional<Measurement> soFar, long remainingEvents) {
    if (soFar.isEmpty() || soFar.get().eventsPerSecond() <= 0) {
      return SAMPLE_MILLIS;
    }
    double remainingMillis = remainingEvents * 1000.0 / soFar.get().eventsPerSecond();
    return Math.max(SAMPLE_MILLIS, Math.min(MAX_SAMPLE_MILLIS, (long) (remainingMillis / 2)));
  }

  /** The drain rate from the rows' marks, for a relay build without the published meter. */
  private static Measurement markSpan(OutboxData data, java.sql.Timestamp since) {
    try {
      double[] span = data.markSpan(since);
      return new Measurement((long) span[0], span[1]);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not read the marks of the drain", e);
    }
  }

  /**
   * The relay, started as users start it, first drains {@code BENCH_WARMUP_EVENTS} (over {@code
   * history} published rows kept), which gives the cold-start rate; then, while it runs, one
   * transaction commits {@code events} more, as Debezium's drain does, and that drain is timed: the
   * steady rate of a relay that has been running. With no warm-up the timed drain is the first.
   */
  static RelayRun relayDrain(
      BenchmarkSettings settings,
      OutboxData data,
      String bootstrapServers,
      int batchSize,
      int events,
      long history)
      throws Exception {
    int warmup = settings.warmupEvents();
    data.refill(warmup > 0 ? warmup : events, history);
    java.sql.Timestamp since = data.now();
    try (PostgresCost cost = PostgresCost.open(data);
        java.sql.Connection fill = data.connect()) {
      Set<Long> fillBackend = Set.of(PostgresCost.backendPid(fill));
      PostgresCost.Sample before = cost.sample(fillBackend);
      long start = System.nanoTime();
      try (RelayProcess relay =
          RelayProcess.start(settings, bootstrapServers, batchSize, Map.of())) {
        Measurement coldStart = null;
        if (warmup > 0) {
          awaitPublished(relay, data, warmup, start);
          java.sql.Timestamp warmupSince = since;
          coldStart = relay.meteredSpan().orElseGet(() -> markSpan(data, warmupSince));
          Progress.say(
              "  warm-up: %,.0f events/s from a cold start; now %,d events in one transaction",
              coldStart.eventsPerSecond(), events);
          relay.restartSpan();
          long cpuBefore = cost.cpuTicks(fillBackend);
          since = data.now();
          data.insertPending(fill, events); // autocommit: returns once committed
          before = cost.afterFill(cpuBefore);
          start = System.nanoTime();
        }
        awaitPublished(relay, data, (long) warmup + events, start);
        PostgresCost.Sample after = cost.sample(fillBackend);
        double wall = (System.nanoTime() - start) / 1e9;
        long resident = relay.peakResidentBytes();
        java.sql.Timestamp markedSince = since;
        Measurement measured = relay.meteredSpan().orElseGet(() -> markSpan(data, markedSince));
        Progress.say(
            "  %,.0f events/s (%.1f s from %s)",
            measured.eventsPerSecond(), wall, warmup > 0 ? "the commit" : "process start");
        return new RelayRun(
            measured,
            coldStart,
            wall,
            relay.peakHeapBytes(),
            resident,
            cost.between(before, after, events));
      }
    }
  }

  private static void awaitPublished(
      RelayProcess relay, OutboxData data, long events, long startNanos) throws Exception {
    long lastReport = System.nanoTime();
    while (!drained(relay, data, events)) {
      relay.requireAlive();
      relay.sample();
      long now = System.nanoTime();
      if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
        Progress.say("  %,d of %,d published", Math.max(0, relay.published()), events);
        lastReport = now;
      }
      TimeUnit.MILLISECONDS.sleep(
          nextSampleMillis(relay.meteredSpan(), events - Math.max(0, relay.published())));
      if (now - startNanos > Duration.ofMinutes(30).toNanos()) {
        throw new IllegalStateException("the relay did not drain within 30 minutes");
      }
    }
  }
}
