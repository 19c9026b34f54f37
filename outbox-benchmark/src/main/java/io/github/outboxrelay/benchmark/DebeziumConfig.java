package io.github.outboxrelay.benchmark;

import java.net.URI;
import java.util.Map;
import java.util.Properties;

/**
 * Baseline (c)'s configuration: Debezium's PostgreSQL connector (pgoutput) on the benchmark's
 * outbox table, its outbox EventRouter routing each row to the topic in its {@code topic} column
 * with key {@code aggregateid}, value {@code payload} and the headers the relay sends ({@code id},
 * {@code type}, {@code aggregatetype}), tuned as a fair opponent: batches of 16,384, a 10 ms poll,
 * no snapshot, offsets in memory. The producer gets the relay's own settings.
 */
final class DebeziumConfig {

  static final String SLOT = "outbox_bench_debezium";
  static final String PUBLICATION = "outbox_bench_debezium";
  static final int MAX_BATCH_SIZE = 16_384;

  private DebeziumConfig() {}

  /** Where the server is, from a JDBC URL such as {@code jdbc:postgresql://host:5432/db?x=y}. */
  record Server(String host, int port, String database) {

    static Server fromJdbcUrl(String jdbcUrl, String user) {
      if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
        throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + jdbcUrl);
      }
      URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
      String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
      return new Server(
          uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path.isEmpty() ? user : path);
    }
  }

  /**
   * The properties file the Debezium process reads: {@code engine.*} for the engine and its
   * connector, {@code producer.*} for the Kafka producer.
   */
  static Properties properties(BenchmarkSettings settings, Map<Object, Object> producerProperties) {
    Server server = Server.fromJdbcUrl(settings.jdbcUrl(), settings.user());
    Properties p = new Properties();
    engine(p, "name", "outbox-bench-debezium");
    engine(p, "connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    engine(p, "offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    // Confirms the slot's position to the server every second, so it does not hold WAL back.
    engine(p, "offset.flush.interval.ms", "1000");
    engine(p, "database.hostname", server.host());
    engine(p, "database.port", String.valueOf(server.port()));
    engine(p, "database.dbname", server.database());
    engine(p, "database.user", settings.user());
    if (!settings.password().isEmpty()) {
      engine(p, "database.password", settings.password());
    }
    engine(p, "topic.prefix", BenchmarkSettings.SCHEMA);
    engine(p, "plugin.name", "pgoutput");
    engine(p, "slot.name", SLOT);
    engine(p, "slot.drop.on.stop", "true");
    engine(p, "publication.name", PUBLICATION);
    engine(p, "publication.autocreate.mode", "filtered");
    engine(p, "table.include.list", BenchmarkSettings.SCHEMA + ".outbox");
    engine(p, "snapshot.mode", "no_data");
    engine(p, "max.batch.size", String.valueOf(MAX_BATCH_SIZE));
    engine(p, "max.queue.size", String.valueOf(4 * MAX_BATCH_SIZE));
    engine(p, "poll.interval.ms", "10");
    // Per-record latency quantiles (on by default in 3.x): their queue overflows at these rates
    // and warns for each event, which would measure Debezium's logging, not its relaying.
    engine(p, "statistics.metrics.enabled", "false");
    engine(p, "transforms", "outbox");
    engine(p, "transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
    engine(p, "transforms.outbox.route.by.field", "topic");
    engine(p, "transforms.outbox.route.topic.replacement", "${routedByValue}");
    engine(
        p,
        "transforms.outbox.table.fields.additional.placement",
        "type:header:type,aggregatetype:header:aggregatetype");
    producerProperties.forEach(
        (key, value) -> p.setProperty("producer." + key, String.valueOf(value)));
    return p;
  }

  private static void engine(Properties properties, String key, String value) {
    properties.setProperty("engine." + key, value);
  }
}
