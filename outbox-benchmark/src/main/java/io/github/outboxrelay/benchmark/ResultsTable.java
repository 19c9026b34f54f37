package io.github.outboxrelay.benchmark;

import java.util.List;
import java.util.Locale;

/** The results as a table on standard output. */
final class ResultsTable {

  private ResultsTable() {}

  private static final String LINE = "  %-52s %-26s %-16s %-18s %-20s %-14s%n";
  private static final int HOST_CORES = Runtime.getRuntime().availableProcessors();

  private static final String RATIO = "  %-52s %-26s %s%n";

  static void print(Benchmark.Results results) {
    printDrain(results);
    printLatency(results.rounds());
    if (results.history() != null) {
      printHistory(results.history());
    }
    if (results.overhead() != null) {
      printWriterOverhead(results.overhead());
    }
  }

  static void printDrain(Benchmark.Results results) {
    BenchmarkSettings settings = results.settings();
    List<Benchmark.Round> rounds = results.rounds();
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Drain of %,d committed events (%d-byte JSON payloads, %,d aggregates, %d partitions%s),"
            + " %d round(s): median (min–max)%n",
        settings.events(),
        settings.payloadBytes(),
        settings.aggregates(),
        settings.partitions(),
        settings.parkedKeys() == 0
            ? ""
            : ", " + settings.parkedKeys() + " keys held by parked events",
        rounds.size());
    System.out.printf(
        Locale.ROOT,
        LINE,
        "",
        "events/s",
        "PG WAL B/event",
        "PG CPU s/M events",
        "host CPU s/M events",
        "peak RSS MiB");
    Spread producer =
        Spread.of(results.producerOnly().stream().map(Measurement::eventsPerSecond).toList());
    Spread producerHostCpu =
        Spread.of(
            results.producerOnly().stream()
                .map(Measurement::hostCpuSecondsPerMillionEvents)
                .toList());
    System.out.printf(
        Locale.ROOT,
        LINE,
        "(a) Kafka alone (from memory, warm, median of " + producer.count() + ")",
        producer.format("%,.0f"),
        "",
        "",
        producerHostCpu.format("%,.1f"),
        "");
    row(
        "(b) PostgreSQL alone (claim + "
            + DatabaseBaseline.describe(settings.published())
            + ", "
            + results.batchSize()
            + "/batch)",
        Summary.databaseOnly(rounds));
    row("relay (packaged jar, " + settings.relayHeap() + ")", Summary.relay(rounds));
    if (results.debeziumLeftOut() != null) {
      System.out.printf(Locale.ROOT, "  (c) Debezium: left out, %s%n", results.debeziumLeftOut());
    } else {
      row(
          "(c) Debezium 3.6.1 (embedded, EventRouter, " + settings.debeziumHeap() + ")",
          Summary.debezium(rounds));
    }
    Summary.Figure toDatabase = Summary.drain(rounds, DrainBenchmark.Round::relayToDatabase);
    Summary.Figure toDebezium = Summary.drain(rounds, DrainBenchmark.Round::relayToDebezium);
    Summary.Figure toLimit =
        Summary.drain(
            rounds,
            r ->
                r.relay().measured().eventsPerSecond()
                    / Math.min(producer.median(), r.databaseOnly().eventsPerSecond()));
    System.out.printf(
        Locale.ROOT,
        RATIO,
        "relay / (b)",
        toDatabase.spread().format("%.2f"),
        perRound(toDatabase));
    if (results.debeziumLeftOut() == null) {
      System.out.printf(
          Locale.ROOT,
          RATIO,
          "relay / (c) Debezium",
          toDebezium.spread().format("%.2f"),
          perRound(toDebezium));
    }
    System.out.printf(
        Locale.ROOT,
        RATIO,
        "relay / min(a, b)",
        toLimit.spread().format("%.2f"),
        perRound(toLimit));
    Summary.Figure toHost = Summary.drain(rounds, r -> r.relayToHostCeiling(producerHostCpu));
    System.out.printf(
        Locale.ROOT,
        RATIO,
        "relay / host ceiling (" + HOST_CORES + " cores / host CPU per event of (a) + (b))",
        toHost.spread().format("%.2f"),
        perRound(toHost));
    Summary.Figure coldStart =
        Summary.drain(
            rounds,
            r ->
                r.relay().coldStart() == null
                    ? Double.NaN
                    : r.relay().coldStart().eventsPerSecond());
    if (coldStart.spread().count() > 0) {
      System.out.printf(
          Locale.ROOT,
          "  relay from a cold start (its warm-up drain of %,d events right after start): %s"
              + " events/s%n",
          settings.warmupEvents(),
          coldStart.spread().format("%,.0f"));
    }
    System.out.printf(
        Locale.ROOT,
        "  relay peak heap %s MiB%n",
        Summary.drain(rounds, r -> Summary.mebibytes(r.relay().peakHeapBytes()))
            .spread()
            .format("%.0f"));
    System.out.println(
        "  Spans: relay, its published meter's first to last rise (read every 50 ms); (b), first"
            + " claim to last commit;"
            + " (c), the fill's commit to the last Kafka ack. The relay and (c) each drain "
            + String.format(Locale.ROOT, "%,d", settings.warmupEvents())
            + " warm-up events first, in the same process.");
    System.out.println(
        "  PostgreSQL's cost of each drain: WAL from after the fill's commit (and checkpoint);"
            + " CPU of all its processes.");
    for (Benchmark.Round round : rounds) {
      DrainBenchmark.Round d = round.drain();
      System.out.printf(
          Locale.ROOT,
          "  round %d%s: (b) %,.0f, relay %,.0f, (c) %s events/s%n",
          d.number(),
          d.debezium() == null ? "" : d.relayFirst() ? " (relay first)" : " (Debezium first)",
          d.databaseOnly().eventsPerSecond(),
          d.relay().measured().eventsPerSecond(),
          d.debezium() == null
              ? "-"
              : String.format(Locale.ROOT, "%,.0f", d.debezium().measured().eventsPerSecond()));
    }
  }

  static void printLatency(List<Benchmark.Round> rounds) {
    List<Summary.Latency> lines = Summary.latency(rounds);
    if (lines.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Commit-to-consumer latency (writer commit returned -> record received),"
            + " %d round(s): median (min–max)%n",
        rounds.size());
    String format = "  %10s %-18s %9s %9s %-20s %-20s %-20s %-20s%n";
    System.out.printf(
        Locale.ROOT,
        format,
        "events/s",
        "",
        "events",
        "unmatched",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms");
    for (Summary.Latency l : lines) {
      System.out.printf(
          Locale.ROOT,
          format,
          String.format(Locale.ROOT, "%,d", l.rate()),
          l.mode(),
          String.format(Locale.ROOT, "%,.0f", l.events().median()),
          l.unmatched(),
          l.p50().format("%.1f"),
          l.p95().format("%.1f"),
          l.p99().format("%.1f"),
          l.max().format("%.1f"));
    }
    for (Summary.LatencyRatio ratio : Summary.latencyRatios(rounds)) {
      System.out.printf(
          Locale.ROOT,
          "  %,d/s, %s / (c) Debezium: p50 %s %s, p99 %s %s%n",
          ratio.rate(),
          ratio.relayMode(),
          ratio.p50().spread().format("%.2f"),
          perRound(ratio.p50()),
          ratio.p99().spread().format("%.2f"),
          perRound(ratio.p99()));
    }
  }

  private static void row(String label, Summary.Contender contender) {
    System.out.printf(
        Locale.ROOT,
        LINE,
        label,
        contender.eventsPerSecond().spread().format("%,.0f"),
        contender.walBytesPerEvent().spread().format("%,.0f"),
        contender.cpuSecondsPerMillionEvents().spread().format("%,.1f"),
        contender.hostCpuSecondsPerMillionEvents().spread().format("%,.1f"),
        contender.peakResidentMiB().spread().format("%.0f"));
  }

  private static String perRound(Summary.Figure figure) {
    return "per round: "
        + String.join(
            ", ",
            figure.perRound().stream()
                .map(v -> v.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", v))
                .toList());
  }

  static void printHistory(HistoryBenchmark.Result history) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Drain of %,d events with published history kept (retention off)%n",
        history.events());
    row("empty table", history.emptyTable().eventsPerSecond());
    row(
        String.format(Locale.ROOT, "%,d published rows kept", history.historyRows()),
        history.withHistory().eventsPerSecond());
    System.out.printf(Locale.ROOT, "  %-46s %12.2f%n", "with history / empty", history.ratio());
  }

  static void printWriterOverhead(WriterOverheadBenchmark.Result r) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Order transaction with and without the outbox write (%d threads)%n",
        r.threads());
    System.out.printf(Locale.ROOT, "  %-18s %10s %10s %10s%n", "", "tx/s", "mean ms", "p99 ms");
    for (WriterOverheadBenchmark.Mode m : List.of(r.without(), r.with(), r.separate())) {
      System.out.printf(
          Locale.ROOT,
          "  %-18s %,10.0f %10.2f %10.2f%n",
          m.name(),
          m.perSecond(),
          m.meanMs(),
          m.p99Ms());
    }
    System.out.printf(
        Locale.ROOT,
        "  %-18s %10.2f %10.2f %10.2f%n",
        "with / without",
        r.throughputRatio(),
        r.meanRatio(),
        r.p99Ratio());
    System.out.printf(
        Locale.ROOT,
        "  %-18s %10.2f %10.2f %10.2f%n",
        "write() / without",
        r.separate().perSecond() / r.without().perSecond(),
        r.separateMeanRatio(),
        r.separate().p99Ms() / r.without().p99Ms());
  }

  private static void row(String label, double eventsPerSecond) {
    System.out.printf(Locale.ROOT, "  %-46s %,12.0f%n", label, eventsPerSecond);
  }
}
