package io.github.outboxrelay.relay.loop;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.relay.MigratedOutbox;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the loop's tests share: a migrated outbox, a pool like the relay's, events of one key. */
final class LoopTestSupport {

  private LoopTestSupport() {}

  /** A fresh schema with the outbox table, as a user's migration creates it. */
  static PostgresExtension migratedOutbox() {
    return MigratedOutbox.latest();
  }

  /** A pool on the schema with autocommit off, as the relay's own. */
  static HikariDataSource pool(PostgresExtension postgres) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl());
    config.setUsername(postgres.server().user());
    config.setPassword(postgres.server().password());
    config.setAutoCommit(false);
    return new HikariDataSource(config);
  }

  /** Commits {@code count} events of one key to topic {@code orders}, payloads numbered from 0. */
  static List<OutboxEvent> write(HikariDataSource dataSource, String key, int count)
      throws SQLException {
    return write(dataSource, "orders", key, count);
  }

  /** Commits {@code count} events of one key to {@code topic}, payloads numbered from 0. */
  static List<OutboxEvent> write(HikariDataSource dataSource, String topic, String key, int count)
      throws SQLException {
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          OutboxEvent.builder()
              .aggregateType("order")
              .aggregateId(key)
              .eventType("OrderChanged")
              .topic(topic)
              .jsonPayload("{\"n\":" + i + "}")
              .build());
    }
    try (Connection connection = dataSource.getConnection()) {
      OutboxWriter.builder().build().writeAll(connection, events);
      connection.commit();
    }
    return events;
  }
}
