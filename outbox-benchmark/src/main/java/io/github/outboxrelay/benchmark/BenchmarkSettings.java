package io.github.outboxrelay.benchmark;

import io.github.outboxrelay.relay.core.PublishedRows;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** What to measure and against what, from environment variables (sizes are parameters). */
record BenchmarkSettings(
    Path root,
    String version,
    String jdbcUrl,
    String user,
    String password,
    String kafkaBootstrapServers,
    int events,
    int payloadBytes,
    int aggregates,
    int partitions,
    int batchSize,
    String relayHeap,
    List<Integer> latencyRates,
    int latencySeconds) {

  /**
   * BENCH_SCHEMA: the schema the benchmark drops and creates (default outbox_bench), so that two
   * checkouts can run without dropping each other's tables. A plain identifier.
   */
  static final String SCHEMA =
      io.github.outboxrelay.writer.internal.SqlIdentifiers.requireTable(
          env("BENCH_SCHEMA", "outbox_bench"), "BENCH_SCHEMA");

  static final String TOPIC = "bench.events";

  /** BENCH_LATENCY_NOTIFY: which wake-up modes the latency runs use ("on,off" by default). */
  List<Boolean> latencyNotifyModes() {
    return Arrays.stream(env("BENCH_LATENCY_NOTIFY", "on,off").split(","))
        .map(String::trim)
        .map("on"::equals)
        .toList();
  }

  /** BENCH_REPEAT: rounds of (b), the relay, Debezium and the paced latency runs (3 by default). */
  int repeat() {
    return Math.max(1, Integer.parseInt(env("BENCH_REPEAT", "3")));
  }

  /**
   * BENCH_PUBLISHED: what the relay, and baseline (b) with it, writes to a published row ({@code
   * keep}, {@code mark} or {@code delete}). Unset: the relay's own default, which behind the lease
   * is keep, and (b) does the same.
   */
  java.util.Optional<PublishedRows> publishedSetting() {
    String value = System.getenv("BENCH_PUBLISHED");
    return value == null || value.isBlank()
        ? java.util.Optional.empty()
        : java.util.Optional.of(PublishedRows.fromConfigName(value.trim()));
  }

  /** What baseline (b) does with a published row: as the relay under test. */
  PublishedRows published() {
    return publishedSetting().orElse(PublishedRows.KEEP);
  }

  /** BENCH_DEBEZIUM: whether baseline (c) runs where it can ("on" by default, "off" skips it). */
  boolean withDebezium() {
    return !"off".equals(env("BENCH_DEBEZIUM", "on"));
  }

  /** BENCH_DEBEZIUM_HEAP: the heap option of the Debezium process ({@code -Xmx1g} by default). */
  String debeziumHeap() {
    return env("BENCH_DEBEZIUM_HEAP", "-Xmx1g");
  }

  /** BENCH_WRITER_SECONDS: measured seconds per mode of the writer-overhead benchmark (0 skips). */
  int writerSeconds() {
    return Integer.parseInt(env("BENCH_WRITER_SECONDS", "15"));
  }

  /** BENCH_HISTORY_ROWS: published rows kept for the history benchmark (0 skips it). */
  long historyRows() {
    return Long.parseLong(env("BENCH_HISTORY_ROWS", "5000000"));
  }

  /**
   * BENCH_WARMUP_EVENTS: events the relay and Debezium each drain, in the same process, before the
   * timed drain (500,000 by default; 0 times a cold start), so that what is compared is the steady
   * rate of a service that has been running, as baseline (a) is measured warm too.
   */
  int warmupEvents() {
    return Integer.parseInt(env("BENCH_WARMUP_EVENTS", "500000"));
  }

  /**
   * BENCH_PARKED_KEYS: parked events (each holding a key of its own, none of the events' keys) in
   * the table before every drain (0 by default): what holding keys costs a claim that has to look
   * each row up.
   */
  int parkedKeys() {
    return Integer.parseInt(env("BENCH_PARKED_KEYS", "0"));
  }

  /** BENCH_HISTORY_EVENTS: events drained over the empty table and over the history. */
  int historyEvents() {
    return Integer.parseInt(env("BENCH_HISTORY_EVENTS", "300000"));
  }

  static BenchmarkSettings fromEnvironment() {
    return new BenchmarkSettings(
        Path.of(System.getProperty("benchmark.root", ".")).toAbsolutePath().normalize(),
        System.getProperty("benchmark.version", "0.1.0-SNAPSHOT"),
        env("OUTBOX_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"),
        env("OUTBOX_DB_USER", "postgres"),
        env("OUTBOX_DB_PASSWORD", ""),
        env("KAFKA_BOOTSTRAP_SERVERS", ""),
        Integer.parseInt(env("BENCH_EVENTS", "1000000")),
        Integer.parseInt(env("BENCH_PAYLOAD_BYTES", "256")),
        Integer.parseInt(env("BENCH_AGGREGATES", "10000")),
        Integer.parseInt(env("BENCH_PARTITIONS", "6")),
        Integer.parseInt(env("BENCH_BATCH_SIZE", "0")),
        env("BENCH_RELAY_HEAP", "-Xmx256m"),
        Arrays.stream(env("BENCH_LATENCY_RATES", "1000,10000").split(","))
            .map(String::trim)
            .filter(rate -> !rate.isEmpty() && !rate.equals("none"))
            .map(Integer::valueOf)
            .toList(),
        Integer.parseInt(env("BENCH_LATENCY_SECONDS", "20")));
  }

  /**
   * The claim batch size for the relay and baseline (b) alike: {@code BENCH_BATCH_SIZE}, or else
   * what the shipped config/relay.yml says, or else the relay's default.
   */
  int effectiveBatchSize() throws java.io.IOException {
    if (batchSize > 0) {
      return batchSize;
    }
    com.fasterxml.jackson.databind.JsonNode configured =
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .readTree(relayConfig().toFile())
            .path("outbox")
            .path("batchSize");
    return configured.isInt()
        ? configured.asInt()
        : new io.github.outboxrelay.relay.RelayFactory().getBatchSize();
  }

  String schemaJdbcUrl() {
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
  }

  Properties connectionProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (!password.isEmpty()) {
      properties.setProperty("password", password);
    }
    return properties;
  }

  Path relayJar() {
    return root.resolve("outbox-relay/target/outbox-relay-" + version + ".jar");
  }

  /** The Debezium process's classpath, as the outbox-benchmark-debezium build wrote it. */
  String debeziumClasspath() throws java.io.IOException {
    Path module = root.resolve("outbox-benchmark-debezium/target");
    Path dependencies = module.resolve("debezium.classpath");
    if (!java.nio.file.Files.isRegularFile(dependencies)) {
      throw new IllegalStateException(
          dependencies + " is missing: build outbox-benchmark-debezium (./mvnw -B -q package)");
    }
    return module.resolve("classes")
        + java.io.File.pathSeparator
        + java.nio.file.Files.readString(dependencies, java.nio.charset.StandardCharsets.UTF_8)
            .trim();
  }

  Path relayConfig() {
    return root.resolve("config/relay.yml");
  }

  Path workDirectory() {
    return root.resolve("outbox-benchmark/target/benchmark");
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
