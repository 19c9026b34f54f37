package io.github.outboxrelay.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.outboxrelay.testing.kafka.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The broker's JVM for the benchmark: what Kafka's own start script gives a broker (1 GiB heap,
   * G1 with its pause target), with the full JIT, instead of the tests' small quick-starting one.
   */
  static final List<String> BROKER_JVM_FLAGS =
      List.of(
          "-Xms1g",
          "-Xmx1g",
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:InitiatingHeapOccupancyPercent=35",
          "-XX:+ExplicitGCInvokesConcurrent");

  /** One round: (b), the relay's and Debezium's drains, and the paced latency runs. */
  record Round(DrainBenchmark.Round drain, List<LatencyBenchmark.Result> latency) {}

  /** Everything a run measured; history and overhead are null when skipped. */
  record Results(
      BenchmarkSettings settings,
      int batchSize,
      String debeziumLeftOut,
      List<Measurement> producerOnly,
      List<Round> rounds,
      HistoryBenchmark.Result history,
      WriterOverheadBenchmark.Result overhead) {}

  private static void run(BenchmarkSettings settings) throws Exception {
    OutboxData data = new OutboxData(settings);
    Progress.say("schema %s at %s", BenchmarkSettings.SCHEMA, settings.jdbcUrl());
    data.createSchema();
    String debeziumLeftOut = debeziumLeftOut(settings, data);
    boolean withDebezium = debeziumLeftOut == null;
    if (!withDebezium) {
      Progress.say("(c) Debezium left out: %s", debeziumLeftOut);
    }
    LocalKafkaBroker broker = null;
    String bootstrapServers = settings.kafkaBootstrapServers();
    try {
      if (bootstrapServers.isEmpty()) {
        Progress.say(
            "starting a local Kafka broker (KRaft, %s)", String.join(" ", BROKER_JVM_FLAGS));
        broker = LocalKafkaBroker.start(BROKER_JVM_FLAGS);
        bootstrapServers = broker.bootstrapServers();
      }
      createTopic(bootstrapServers, settings.partitions());

      List<Measurement> producerOnly = DrainBenchmark.producerOnly(settings, bootstrapServers);
      List<Round> rounds = new ArrayList<>();
      for (int number = 1; number <= settings.repeat(); number++) {
        DrainBenchmark.Round drain =
            DrainBenchmark.round(settings, data, bootstrapServers, number, withDebezium);
        List<LatencyBenchmark.Result> latency =
            LatencyBenchmark.round(settings, data, bootstrapServers, number, withDebezium);
        rounds.add(new Round(drain, latency));
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
      Results results =
          new Results(
              settings,
              settings.effectiveBatchSize(),
              debeziumLeftOut,
              producerOnly,
              rounds,
              history,
              overhead);
      ResultsTable.print(results);
      Path file = settings.workDirectory().resolve("results.json");
      Files.createDirectories(file.getParent());
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(file.toFile(), ResultsJson.of(results));
      Progress.say("results written to %s", file);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** Why (c) Debezium cannot run here, or null if it can. */
  private static String debeziumLeftOut(BenchmarkSettings settings, OutboxData data)
      throws java.sql.SQLException {
    if (!settings.withDebezium()) {
      return "BENCH_DEBEZIUM=off";
    }
    String walLevel = ReplicationSlot.walLevel(data);
    if (!"logical".equals(walLevel)) {
      return "wal_level=" + walLevel + " (needs logical)";
    }
    try {
      settings.debeziumClasspath();
    } catch (IllegalStateException | java.io.IOException e) {
      return "outbox-benchmark-debezium is not built under " + settings.root();
    }
    return null;
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
