package io.github.outboxrelay.benchmark;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results as the JSON in results.json: each round's figures, and their medians and spread. */
final class ResultsJson {

  private ResultsJson() {}

  static Map<String, Object> of(Benchmark.Results r) {
    BenchmarkSettings settings = r.settings();
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("date", Instant.now().toString());
    results.put("machine", Benchmark.machine());
    results.put("events", settings.events());
    results.put("payloadBytes", settings.payloadBytes());
    results.put("aggregates", settings.aggregates());
    results.put("rounds", r.rounds().size());
    results.put("drain", drain(r));
    results.put("latency", latency(r.rounds()));
    if (r.history() != null) {
      results.put("history", history(r.history()));
    }
    if (r.overhead() != null) {
      results.put("writerOverhead", overhead(r.overhead()));
    }
    return results;
  }

  private static Map<String, Object> drain(Benchmark.Results r) {
    List<Benchmark.Round> rounds = r.rounds();
    Map<String, Object> drain = new LinkedHashMap<>();
    drain.put("batchSize", r.batchSize());
    drain.put("brokerJvm", String.join(" ", Benchmark.BROKER_JVM_FLAGS));
    drain.put(
        "producerOnlyEventsPerSecondRuns",
        r.producerOnly().stream().map(m -> Math.round(m.eventsPerSecond())).toList());
    drain.put(
        "producerOnlyHostCpuSecondsPerMillionEventsRuns",
        r.producerOnly().stream().map(m -> round2(m.hostCpuSecondsPerMillionEvents())).toList());
    drain.put("relayHeap", r.settings().relayHeap());
    drain.put("debeziumHeap", r.settings().debeziumHeap());
    drain.put("debeziumLeftOut", r.debeziumLeftOut());
    drain.put(
        "spans",
        Map.of(
            "relay", "its published meter's first to last rise (read every 50 ms)",
            "databaseOnly", "first claim to last commit",
            "debezium", "the fill's commit to the last Kafka acknowledgement"));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put(
        "producerOnlyEventsPerSecond",
        Spread.of(r.producerOnly().stream().map(Measurement::eventsPerSecond).toList()));
    summary.put("databaseOnly", contender(Summary.databaseOnly(rounds)));
    summary.put("relay", contender(Summary.relay(rounds)));
    summary.put("debezium", contender(Summary.debezium(rounds)));
    summary.put(
        "relayToDatabaseOnly",
        Summary.drain(rounds, DrainBenchmark.Round::relayToDatabase).spread());
    summary.put(
        "relayToDebezium", Summary.drain(rounds, DrainBenchmark.Round::relayToDebezium).spread());
    drain.put("summary", summary);
    drain.put("rounds", rounds.stream().map(round -> round(round.drain())).toList());
    return drain;
  }

  private static Map<String, Object> contender(Summary.Contender contender) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("eventsPerSecond", contender.eventsPerSecond().spread());
    figures.put("walBytesPerEvent", contender.walBytesPerEvent().spread());
    figures.put(
        "postgresCpuSecondsPerMillionEvents", contender.cpuSecondsPerMillionEvents().spread());
    figures.put(
        "hostCpuSecondsPerMillionEvents", contender.hostCpuSecondsPerMillionEvents().spread());
    figures.put("peakResidentMiB", contender.peakResidentMiB().spread());
    return figures;
  }

  private static Map<String, Object> round(DrainBenchmark.Round d) {
    Map<String, Object> round = new LinkedHashMap<>();
    round.put("round", d.number());
    round.put("relayFirst", d.relayFirst());
    round.put("databaseOnly", figures(d.databaseOnly(), d.databaseCost()));
    Map<String, Object> relay = figures(d.relay().measured(), d.relay().cost());
    relay.put("wallSeconds", round2(d.relay().wallSeconds()));
    if (d.relay().coldStart() != null) {
      relay.put("coldStartEventsPerSecond", Math.round(d.relay().coldStart().eventsPerSecond()));
    }
    relay.put("peakHeapMiB", d.relay().peakHeapBytes() / (1024 * 1024));
    relay.put("peakResidentMiB", d.relay().peakResidentBytes() / (1024 * 1024));
    round.put("relay", relay);
    if (d.debezium() != null) {
      Map<String, Object> debezium = figures(d.debezium().measured(), d.debezium().cost());
      debezium.put("peakResidentMiB", d.debezium().peakResidentBytes() / (1024 * 1024));
      round.put("debezium", debezium);
    }
    round.put("relayToDatabaseOnly", round2(d.relayToDatabase()));
    round.put("relayToDebezium", round2(d.relayToDebezium()));
    return round;
  }

  private static Map<String, Object> figures(Measurement measured, PostgresCost.Result cost) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("events", measured.events());
    figures.put("seconds", round2(measured.seconds()));
    figures.put("eventsPerSecond", Math.round(measured.eventsPerSecond()));
    figures.put("walBytes", cost.walBytes());
    figures.put("walFrom", cost.walFrom());
    figures.put("walTo", cost.walTo());
    figures.put("walBytesPerEvent", round2(cost.walBytesPerEvent()));
    figures.put("postgresCpuSeconds", round2(cost.cpuSeconds()));
    figures.put("postgresCpuSecondsPerMillionEvents", round2(cost.cpuSecondsPerMillionEvents()));
    figures.put("hostCpuSecondsPerMillionEvents", round2(cost.hostCpuSecondsPerMillionEvents()));
    return figures;
  }

  private static Map<String, Object> latency(List<Benchmark.Round> rounds) {
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("summary", Summary.latency(rounds));
    latency.put("relayToDebezium", Summary.latencyRatios(rounds));
    latency.put("rounds", rounds.stream().map(Benchmark.Round::latency).toList());
    return latency;
  }

  private static Map<String, Object> history(HistoryBenchmark.Result history) {
    Map<String, Object> historyResults = new LinkedHashMap<>();
    historyResults.put("events", history.events());
    historyResults.put("publishedRowsKept", history.historyRows());
    historyResults.put(
        "emptyTableEventsPerSecond", Math.round(history.emptyTable().eventsPerSecond()));
    historyResults.put(
        "withHistoryEventsPerSecond", Math.round(history.withHistory().eventsPerSecond()));
    historyResults.put("ratio", round2(history.ratio()));
    return historyResults;
  }

  private static Map<String, Object> overhead(WriterOverheadBenchmark.Result overhead) {
    Map<String, Object> overheadResults = new LinkedHashMap<>();
    overheadResults.put("threads", overhead.threads());
    overheadResults.put("without", overhead.without());
    overheadResults.put("with", overhead.with());
    overheadResults.put("withSeparateCommit", overhead.separate());
    overheadResults.put("separateCommitMeanLatencyRatio", round2(overhead.separateMeanRatio()));
    overheadResults.put("meanLatencyRatio", round2(overhead.meanRatio()));
    overheadResults.put("p99LatencyRatio", round2(overhead.p99Ratio()));
    overheadResults.put("throughputRatio", round2(overhead.throughputRatio()));
    return overheadResults;
  }

  private static double round2(double value) {
    return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
  }
}
