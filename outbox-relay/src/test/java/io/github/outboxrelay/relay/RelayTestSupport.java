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
}
