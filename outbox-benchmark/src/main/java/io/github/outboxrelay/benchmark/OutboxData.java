package io.github.outboxrelay.benchmark;

import io.github.outboxrelay.writer.OutboxSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;

/**
 * The benchmark's outbox: a fresh schema with the writer's own migration, filled with committed,
 * unpublished events in one server-side statement (the fill is set-up, not what is measured).
 */
final class OutboxData {

  private final BenchmarkSettings settings;

  OutboxData(BenchmarkSettings settings) {
    this.settings = settings;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(settings.schemaJdbcUrl(), settings.connectionProperties());
  }

  void createSchema() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(settings.jdbcUrl(), settings.connectionProperties());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + BenchmarkSettings.SCHEMA + " CASCADE");
      statement.execute("CREATE SCHEMA " + BenchmarkSettings.SCHEMA);
    }
    Flyway.configure()
        .dataSource(settings.schemaJdbcUrl(), settings.user(), settings.password())
        .locations(OutboxSchema.FLYWAY_LOCATION, OutboxSchema.FLYWAY_NOTIFY_LOCATION)
        .placeholders(OutboxSchema.placeholders(OutboxSchema.DEFAULT_TABLE))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
        .load()
        .migrate();
  }

  /** Empties the table and adds {@code events} unpublished rows: JSON payloads, spread keys. */
  void refill(int events) throws SQLException {
    refill(events, 0);
  }

  /**
   * Empties the table, adds {@code history} rows published a day ago (kept history, older than
   * every pending row, as in a table whose retention is off), then {@code events} unpublished rows.
   */
  void refill(int events, long history) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE outbox, outbox_relay_position");
      if (history > 0) {
        try (PreparedStatement insert =
            connection.prepareStatement(
                // Time-ordered ids, as the writer's UUIDv7 would give.
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload,"
                    + " created_at, published_at) SELECT ('00000000-0000-7000-8000-'"
                    + " || lpad(to_hex(g), 12, '0'))::uuid, 'order', 'order-' || (g % ?),"
                    + " 'OrderPlaced', ?, convert_to(repeat('x', ?), 'UTF8'),"
                    + " now() - interval '1 day', now() - interval '1 day'"
                    + " FROM generate_series(1, ?) g")) {
          insert.setInt(1, settings.aggregates());
          insert.setString(2, BenchmarkSettings.TOPIC);
          insert.setInt(3, settings.payloadBytes());
          insert.setLong(4, history);
          insert.executeUpdate();
        }
      }
      insertParked(connection, settings.parkedKeys());
      insertPending(connection, events);
      statement.execute("VACUUM ANALYZE outbox");
      checkpoint(statement);
    }
  }

  /** Adds {@code keys} parked events, each holding a key none of the benchmark's events have. */
  private void insertParked(Connection connection, int keys) throws SQLException {
    if (keys == 0) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, attempts,"
                + " last_error, parked_at) SELECT gen_random_uuid(), 'order', 'parked-' || g,"
                + " 'OrderPlaced', ?, '{}', 5, 'parked by the benchmark', now()"
                + " FROM generate_series(1, ?) g")) {
      insert.setString(1, BenchmarkSettings.TOPIC);
      insert.setInt(2, keys);
      insert.executeUpdate();
    }
  }

  /**
   * Adds {@code events} unpublished rows in one statement: JSON payloads of exactly payloadBytes
   * bytes, keys spread over the aggregates. Commits if the connection is in autocommit mode.
   */
  void insertPending(Connection connection, int events) throws SQLException {
    String prefix = "{\"orderId\":\"";
    String middle = "\",\"pad\":\"";
    String suffix = "\"}";
    // The id is 12 digits, so every payload has exactly payloadBytes bytes.
    int pad = settings.payloadBytes() - prefix.length() - 12 - middle.length() - suffix.length();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload)"
                + " SELECT gen_random_uuid(), 'order', 'order-' || (g % ?), 'OrderPlaced', ?,"
                + " convert_to(? || lpad(g::text, 12, '0') || ? || repeat('x', ?) || ?, 'UTF8')"
                + " FROM generate_series(1, ?) g")) {
      insert.setInt(1, settings.aggregates());
      insert.setString(2, BenchmarkSettings.TOPIC);
      insert.setString(3, prefix);
      insert.setString(4, middle);
      insert.setInt(5, pad);
      insert.setString(6, suffix);
      insert.setInt(7, events);
      insert.executeUpdate();
    }
  }

  /**
   * Writes the bulk load's dirty pages out now, so that the checkpoint it makes due does not fall
   * into (and slow down) the timed run that follows. Needs superuser or pg_checkpoint; without, the
   * run goes on and says so.
   */
  /**
   * Waits (up to 30 s) until no WAL sender is left from a Debezium run, then checkpoints, so that a
   * latency run does not pay for the run before it.
   */
  void settle() throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (queryLong("SELECT count(*) FROM pg_stat_replication") > 0
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      checkpoint(statement);
    }
  }

  static void checkpoint(Statement statement) {
    try {
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      Progress.say("  (no CHECKPOINT before the run: %s)", e.getMessage());
    }
  }

  long pending() throws SQLException {
    return queryLong("SELECT count(*) FROM outbox WHERE published_at IS NULL");
  }

  /**
   * Whether any row waits, looked for from the relay's stored position (at most 100 ms behind it)
   * along the primary key: cheap enough to ask ten times a second without slowing the relay down,
   * unlike a count over a million rows. (The benchmark writes nothing below the relay's cursor
   * while it drains, so the position's stragglers need no look.)
   */
  boolean anyPending() throws SQLException {
    return queryLong(
            "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL"
                + " AND parked_at IS NULL AND seq > coalesce((SELECT cursor_seq FROM"
                + " outbox_relay_position), 0) LIMIT 1) t")
        > 0;
  }

  /** The database's clock, to tell this run's marks from older ones. */
  java.sql.Timestamp now() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getTimestamp(1);
    }
  }

  /**
   * Of the rows marked since {@code since}: how many were marked after the first of them, and the
   * seconds from the first mark to the last.
   */
  double[] markSpan(java.sql.Timestamp since) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement first =
            connection.prepareStatement(
                "SELECT min(published_at) FROM outbox WHERE published_at >= ?");
        PreparedStatement span =
            connection.prepareStatement(
                "SELECT count(*), extract(epoch FROM max(published_at) - ?)"
                    + " FROM outbox WHERE published_at > ?")) {
      first.setTimestamp(1, since);
      java.sql.Timestamp firstMark;
      try (ResultSet rs = first.executeQuery()) {
        rs.next();
        firstMark = rs.getTimestamp(1);
      }
      span.setTimestamp(1, firstMark);
      span.setTimestamp(2, firstMark);
      try (ResultSet rs = span.executeQuery()) {
        rs.next();
        return new double[] {rs.getLong(1), rs.getDouble(2)};
      }
    }
  }

  long queryLong(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
