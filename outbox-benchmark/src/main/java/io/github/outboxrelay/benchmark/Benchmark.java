package io.github.outboxrelay.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.outboxrelay.testing.kafka.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The benchmark suite (README, "Benchmark"): prints a table and writes it as JSON to {@code
 * outbox-benchmark/target/benchmark/results.json}.
 */
public final class Benchmark {

  private Benchmark() {}

  public static void main(String[] args) {
    int status = 0;
    try {
      run(BenchmarkSettings.fromEnvironment());
    } catch (Exception e) {
      System.err.println("[bench] failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static void run(BenchmarkSettings settings) throws Exception {
    OutboxData data = new OutboxData(settings);
    Progress.say("schema %s at %s", BenchmarkSettings.SCHEMA, settings.jdbcUrl());
    data.createSchema();
    LocalKafkaBroker broker = null;
    String bootstrapServers = settings.kafkaBootstrapServers();
    try {
      if (bootstrapServers.isEmpty()) {
        Progress.say("starting a local Kafka broker (KRaft)");
        broker = LocalKafkaBroker.start();
        bootstrapServers = broker.bootstrapServers();
      }
      createTopic(bootstrapServers, settings.partitions());

      DrainBenchmark.Result drain = DrainBenchmark.run(settings, data, bootstrapServers);
      List<LatencyBenchmark.Result> latency = new java.util.ArrayList<>();
      for (int rate : settings.latencyRates()) {
        Progress.say(
            "latency: Kafka alone, %,d events/s for %d s", rate, settings.latencySeconds());
        latency.add(
            LatencyBenchmark.runKafkaAlone(
                settings,
                bootstrapServers,
                rate,
                java.time.Duration.ofSeconds(settings.latencySeconds())));
        for (boolean notify : settings.latencyNotifyModes()) {
          Progress.say(
              "latency: %,d events/s for %d s, NOTIFY wake-up %s",
              rate, settings.latencySeconds(), notify ? "on" : "off");
          LatencyBenchmark.Result result =
              LatencyBenchmark.run(
                  settings,
                  data,
                  bootstrapServers,
                  rate,
                  notify,
                  java.time.Duration.ofSeconds(settings.latencySeconds()));
          Progress.say(
              "  p50 %.1f ms, p99 %.1f ms over %,d events; commit to sent p50 %.0f / p99 %.0f ms,"
                  + " sent to received p50 %.0f / p99 %.0f ms",
              result.p50(),
              result.p99(),
              result.events(),
              result.breakdown().commitToSentP50(),
              result.breakdown().commitToSentP99(),
              result.breakdown().sentToReceivedP50(),
              result.breakdown().sentToReceivedP99());
          latency.add(result);
        }
      }
      HistoryBenchmark.Result history =
          settings.historyRows() > 0
              ? HistoryBenchmark.run(settings, data, bootstrapServers)
              : null;
      WriterOverheadBenchmark.Result overhead =
          settings.writerSeconds() > 0
              ? WriterOverheadBenchmark.run(
                  data, java.time.Duration.ofSeconds(settings.writerSeconds()))
              : null;
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("date", Instant.now().toString());
      results.put("machine", machine());
      results.put("events", settings.events());
      results.put("payloadBytes", settings.payloadBytes());
      results.put("aggregates", settings.aggregates());
      results.put("drain", drainResults(drain));
      results.put("latency", latency);
      if (history != null) {
        Map<String, Object> historyResults = new LinkedHashMap<>();
        historyResults.put("events", history.events());
        historyResults.put("publishedRowsKept", history.historyRows());
        historyResults.put(
            "emptyTableEventsPerSecond", Math.round(history.emptyTable().eventsPerSecond()));
        historyResults.put(
            "withHistoryEventsPerSecond", Math.round(history.withHistory().eventsPerSecond()));
        historyResults.put("ratio", Math.round(history.ratio() * 100) / 100.0);
        results.put("history", historyResults);
      }
      ResultsTable.print(settings, drain);
      ResultsTable.printLatency(latency);
      if (history != null) {
        ResultsTable.printHistory(history);
      }
      if (overhead != null) {
        ResultsTable.printWriterOverhead(overhead);
        Map<String, Object> overheadResults = new LinkedHashMap<>();
        overheadResults.put("threads", overhead.threads());
        overheadResults.put("without", overhead.without());
        overheadResults.put("with", overhead.with());
        overheadResults.put("withSeparateCommit", overhead.separate());
        overheadResults.put(
            "separateCommitMeanLatencyRatio",
            Math.round(overhead.separateMeanRatio() * 100) / 100.0);
        overheadResults.put("meanLatencyRatio", Math.round(overhead.meanRatio() * 100) / 100.0);
        overheadResults.put("p99LatencyRatio", Math.round(overhead.p99Ratio() * 100) / 100.0);
        overheadResults.put(
            "throughputRatio", Math.round(overhead.throughputRatio() * 100) / 100.0);
        results.put("writerOverhead", overheadResults);
      }
      Path file = settings.workDirectory().resolve("results.json");
      Files.createDirectories(file.getParent());
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(file.toFile(), results);
      Progress.say("results written to %s", file);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static Map<String, Object> drainResults(DrainBenchmark.Result drain) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("batchSize", drain.batchSize());
    map.put("producerOnlyEventsPerSecond", Math.round(drain.producerOnly().eventsPerSecond()));
    map.put("databaseOnlyEventsPerSecond", Math.round(drain.databaseOnly().eventsPerSecond()));
    map.put("relayEventsPerSecond", Math.round(drain.relay().eventsPerSecond()));
    map.put("relayToLimitRatio", Math.round(drain.ratioToLimit() * 100) / 100.0);
    map.put("relayWallSecondsFromProcessStart", drain.relayWallSeconds());
    map.put("relayPeakHeapMiB", drain.peakHeapBytes() / (1024 * 1024));
    map.put("relayPeakResidentMiB", drain.peakResidentBytes() / (1024 * 1024));
    return map;
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
        + " MiB max heap for the benchmark JVM, Java "
        + Runtime.version();
  }

  private static void createTopic(String bootstrapServers, int partitions) throws Exception {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(properties)) {
      if (admin.listTopics().names().get().contains(BenchmarkSettings.TOPIC)) {
        admin.deleteTopics(List.of(BenchmarkSettings.TOPIC)).all().get();
      }
      admin
          .createTopics(List.of(new NewTopic(BenchmarkSettings.TOPIC, partitions, (short) 1)))
          .all()
          .get();
    }
  }
}
