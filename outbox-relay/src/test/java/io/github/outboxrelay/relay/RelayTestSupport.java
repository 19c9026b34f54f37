package io.github.outboxrelay.relay;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxSchema;
import io.github.outboxrelay.writer.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What the relay's integration tests share: the schema and writing events ({@link RelayHarness}
 * runs the relay).
 */
final class RelayTestSupport {

  static final OutboxWriter WRITER =
      OutboxWriter.builder().maxPayloadBytes(4 * 1024 * 1024).build();

  private RelayTestSupport() {}

  /** Creates the outbox table and its notify trigger, as a user's migration would. */
  static void migrateOutbox(PostgresExtension postgres) {
    postgres
        .flyway()
        .locations(OutboxSchema.FLYWAY_LOCATION, OutboxSchema.FLYWAY_NOTIFY_LOCATION)
        .placeholders(OutboxSchema.placeholders("outbox"))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
        .load()
        .migrate();
  }

  static OutboxEvent event(String topic, String aggregateId, String payload) {
    return OutboxEvent.builder()
        .aggregateType("order")
        .aggregateId(aggregateId)
        .eventType("OrderPlaced")
        .topic(topic)
        .jsonPayload(payload)
        .build();
  }

  /** {@code count} events for {@code keys} aggregates, round robin, payload naming the index. */
  static List<OutboxEvent> events(String topic, int count, int keys) {
    return Stream.iterate(0, i -> i + 1)
        .limit(count)
        .map(i -> event(topic, "order-" + (i % keys), "{\"n\":" + i + "}"))
        .toList();
  }

  static void commit(PostgresExtension postgres, List<OutboxEvent> events) throws SQLException {
    try (Connection connection = postgres.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      WRITER.writeAll(connection, events);
      connection.commit();
    }
  }

  static void rollBack(PostgresExtension postgres, List<OutboxEvent> events) throws SQLException {
    try (Connection connection = postgres.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      WRITER.writeAll(connection, events);
      connection.rollback();
    }
  }

  /**
   * The published rows, whatever {@code outbox.published} writes to them: neither parked nor still
   * to publish. Go on with {@code AND}.
   */
  static final String PUBLISHED =
      "outbox o WHERE o.parked_at IS NULL"
          + " AND NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.seq = o.seq)";

  /**
   * Rows still to publish, as the migration's view says (published rows are marked, deleted or left
   * out of the relay's stored position, as {@code outbox.published} says).
   */
  static long pending(PostgresExtension postgres) throws SQLException {
    return postgres.queryForLong("SELECT count(*) FROM outbox_pending");
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static UUID eventId(ConsumerRecord<byte[], byte[]> record) {
    return UUID.fromString(header(record, "id"));
  }

  static Set<UUID> ids(List<OutboxEvent> events) {
    return events.stream().map(OutboxEvent::id).collect(Collectors.toSet());
  }

  /**
   * Writes a parked event of {@code key}, as the relay leaves one it gave up on after five attempts
   * with {@code error}.
   */
  static UUID parkedRow(PostgresExtension postgres, String topic, String key, String error)
      throws SQLException {
    UUID id = UUID.randomUUID();
    try (Connection connection = postgres.dataSource().getConnection();
        java.sql.PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload,"
                    + " attempts, last_error, parked_at) VALUES (?, 'order', ?, 'OrderPlaced', ?,"
                    + " '{}', 5, ?, now())")) {
      insert.setObject(1, id);
      insert.setString(2, key);
      insert.setString(3, topic);
      insert.setString(4, error);
      insert.executeUpdate();
    }
    return id;
  }

  /** An executable on the PATH, such as promtool or chromium. */
  static java.util.Optional<String> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      java.nio.file.Path candidate = java.nio.file.Path.of(dir, name);
      if (java.nio.file.Files.isExecutable(candidate)) {
        return java.util.Optional.of(candidate.toString());
      }
    }
    return java.util.Optional.empty();
  }
}
