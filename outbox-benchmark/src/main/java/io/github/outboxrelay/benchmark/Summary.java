package io.github.outboxrelay.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The rounds' figures side by side: per round, and as median (min–max). */
final class Summary {

  /** One drain figure of one contender over the rounds. */
  record Figure(List<Double> perRound, Spread spread) {}

  /** One latency mode at one rate over the rounds. */
  record Latency(
      int rate,
      String mode,
      Spread events,
      long unmatched,
      Spread p50,
      Spread p95,
      Spread p99,
      Spread max) {}

  /** relay / Debezium latency at one rate, per round and over the rounds. */
  record LatencyRatio(int rate, String relayMode, Figure p50, Figure p99) {}

  private Summary() {}

  static Figure drain(List<Benchmark.Round> rounds, ToDoubleFunction<DrainBenchmark.Round> figure) {
    List<Double> perRound =
        rounds.stream().map(round -> figure.applyAsDouble(round.drain())).toList();
    return new Figure(perRound, Spread.of(perRound));
  }

  /** What one drain gave, whoever drained: the rate, PostgreSQL's cost, the process's memory. */
  record Drained(Measurement measured, PostgresCost.Result cost, double peakResidentMiB) {}

  /** A contender's drain figures over the rounds (NaN in rounds it did not run in). */
  record Contender(
      Figure eventsPerSecond,
      Figure walBytesPerEvent,
      Figure cpuSecondsPerMillionEvents,
      Figure hostCpuSecondsPerMillionEvents,
      Figure peakResidentMiB) {

    static Contender of(List<Benchmark.Round> rounds, Function<DrainBenchmark.Round, Drained> run) {
      return new Contender(
          figure(rounds, run, d -> d.measured().eventsPerSecond()),
          figure(rounds, run, d -> d.cost().walBytesPerEvent()),
          figure(rounds, run, d -> d.cost().cpuSecondsPerMillionEvents()),
          figure(rounds, run, d -> d.cost().hostCpuSecondsPerMillionEvents()),
          figure(rounds, run, Drained::peakResidentMiB));
    }

    private static Figure figure(
        List<Benchmark.Round> rounds,
        Function<DrainBenchmark.Round, Drained> run,
        ToDoubleFunction<Drained> figure) {
      return drain(
          rounds,
          round -> {
            Drained drained = run.apply(round);
            return drained == null ? Double.NaN : figure.applyAsDouble(drained);
          });
    }
  }

  static Contender databaseOnly(List<Benchmark.Round> rounds) {
    return Contender.of(rounds, r -> new Drained(r.databaseOnly(), r.databaseCost(), Double.NaN));
  }

  static Contender relay(List<Benchmark.Round> rounds) {
    return Contender.of(
        rounds,
        r ->
            new Drained(
                r.relay().measured(), r.relay().cost(), mebibytes(r.relay().peakResidentBytes())));
  }

  static Contender debezium(List<Benchmark.Round> rounds) {
    return Contender.of(
        rounds,
        r ->
            r.debezium() == null
                ? null
                : new Drained(
                    r.debezium().measured(),
                    r.debezium().cost(),
                    mebibytes(r.debezium().peakResidentBytes())));
  }

  static double mebibytes(long bytes) {
    return bytes / (1024.0 * 1024);
  }

  /** Each rate and mode in the order the first round ran them. */
  static List<Latency> latency(List<Benchmark.Round> rounds) {
    Map<String, List<LatencyBenchmark.Result>> byKey = new LinkedHashMap<>();
    for (Benchmark.Round round : rounds) {
      for (LatencyBenchmark.Result result : round.latency()) {
        byKey
            .computeIfAbsent(result.rate() + " " + result.mode(), k -> new ArrayList<>())
            .add(result);
      }
    }
    List<Latency> lines = new ArrayList<>();
    for (List<LatencyBenchmark.Result> results : byKey.values()) {
      lines.add(
          new Latency(
              results.get(0).rate(),
              results.get(0).mode(),
              spread(results, r -> (double) r.events()),
              results.stream().mapToLong(LatencyBenchmark.Result::unmatched).sum(),
              spread(results, LatencyBenchmark.Result::p50),
              spread(results, LatencyBenchmark.Result::p95),
              spread(results, LatencyBenchmark.Result::p99),
              spread(results, LatencyBenchmark.Result::max)));
    }
    return lines;
  }

  /** For each rate and relay mode, relay / Debezium for p50 and p99, where Debezium ran. */
  static List<LatencyRatio> latencyRatios(List<Benchmark.Round> rounds) {
    List<LatencyRatio> ratios = new ArrayList<>();
    if (rounds.isEmpty()) {
      return ratios;
    }
    for (LatencyBenchmark.Result relay : rounds.get(0).latency()) {
      if (!relay.mode().startsWith("relay")) {
        continue;
      }
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      for (Benchmark.Round round : rounds) {
        LatencyBenchmark.Result ours = find(round, relay.rate(), relay.mode());
        LatencyBenchmark.Result theirs = find(round, relay.rate(), Carrier.debezium().mode());
        boolean both = ours != null && theirs != null;
        p50.add(both ? ours.p50() / theirs.p50() : Double.NaN);
        p99.add(both ? ours.p99() / theirs.p99() : Double.NaN);
      }
      if (p50.stream().anyMatch(v -> !v.isNaN())) {
        ratios.add(
            new LatencyRatio(
                relay.rate(),
                relay.mode(),
                new Figure(p50, Spread.of(p50)),
                new Figure(p99, Spread.of(p99))));
      }
    }
    return ratios;
  }

  private static LatencyBenchmark.Result find(Benchmark.Round round, int rate, String mode) {
    return round.latency().stream()
        .filter(r -> r.rate() == rate && Objects.equals(r.mode(), mode))
        .findFirst()
        .orElse(null);
  }

  private static Spread spread(
      List<LatencyBenchmark.Result> results, Function<LatencyBenchmark.Result, Double> figure) {
    return Spread.of(results.stream().map(figure).toList());
  }
}
