package io.github.outboxrelay.benchmark;

import java.util.List;
import java.util.Locale;

/** The results as a table on standard output. */
final class ResultsTable {

  private ResultsTable() {}

  static void print(BenchmarkSettings settings, DrainBenchmark.Result drain) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Drain of %,d committed events (%d-byte JSON payloads, %,d aggregates, %d partitions)%n",
        settings.events(),
        settings.payloadBytes(),
        settings.aggregates(),
        settings.partitions());
    System.out.printf(Locale.ROOT, "  %-46s %12s%n", "", "events/s");
    row("(a) Kafka alone (producer from memory)", drain.producerOnly().eventsPerSecond());
    row(
        "(b) PostgreSQL alone (claim + mark, " + drain.batchSize() + "/batch)",
        drain.databaseOnly().eventsPerSecond());
    row("relay (packaged jar, " + settings.relayHeap() + ")", drain.relay().eventsPerSecond());
    System.out.printf(Locale.ROOT, "  %-46s %12.2f%n", "relay / min(a, b)", drain.ratioToLimit());
    System.out.printf(
        Locale.ROOT,
        "  relay memory: peak heap %d MiB, peak resident %d MiB%n",
        drain.peakHeapBytes() / (1024 * 1024),
        drain.peakResidentBytes() / (1024 * 1024));
  }

  static void printLatency(java.util.List<LatencyBenchmark.Result> results) {
    if (results.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.println("Commit-to-consumer latency (writer commit returned -> record received)");
    System.out.printf(
        Locale.ROOT,
        "  %10s %-18s %9s %9s %9s %9s %9s %9s%n",
        "events/s",
        "",
        "events",
        "unmatched",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms");
    for (LatencyBenchmark.Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "  %,10d %-18s %,9d %9d %9.1f %9.1f %9.1f %9.1f%n",
          r.rate(),
          r.mode(),
          r.events(),
          r.unmatched(),
          r.p50(),
          r.p95(),
          r.p99(),
          r.max());
    }
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
