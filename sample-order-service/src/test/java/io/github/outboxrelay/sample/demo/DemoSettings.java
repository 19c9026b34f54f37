package io.github.outboxrelay.sample.demo;

import java.nio.file.Path;
import java.util.Optional;

/** What the demo runs against and how hard, from environment variables with local defaults. */
record DemoSettings(
    Path root,
    String version,
    Optional<String> jdbcUrl,
    String user,
    String password,
    String kafkaBootstrapServers,
    int orders,
    int concurrency) {

  static final String SCHEMA = "outbox_demo";

  static DemoSettings fromEnvironment() {
    return new DemoSettings(
        Path.of(System.getProperty("demo.root", ".")).toAbsolutePath().normalize(),
        System.getProperty("demo.version", "0.1.0-SNAPSHOT"),
        Optional.ofNullable(System.getenv("OUTBOX_JDBC_URL")).filter(url -> !url.isBlank()),
        env("OUTBOX_DB_USER", "postgres"),
        env("OUTBOX_DB_PASSWORD", ""),
        env("KAFKA_BOOTSTRAP_SERVERS", ""),
        Integer.parseInt(env("DEMO_ORDERS", "3000")),
        Integer.parseInt(env("DEMO_CONCURRENCY", "16")));
  }

  /** The services' JDBC URL on the database at {@code jdbcUrl}: a schema of the demo's own. */
  static String schemaJdbcUrl(String jdbcUrl) {
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
  }

  Path jar(String module) {
    return root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
  }

  Path config(String file) {
    return root.resolve("config").resolve(file);
  }

  Path logDirectory() {
    return root.resolve("sample-order-service").resolve("target").resolve("demo");
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
