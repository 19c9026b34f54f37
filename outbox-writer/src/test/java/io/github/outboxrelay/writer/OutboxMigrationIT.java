package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The shipped migration, applied by Flyway as users would, to an empty schema. */
class OutboxMigrationIT {

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private static Flyway flyway(String table) {
    return postgres
        .flyway()
        .locations(OutboxSchema.FLYWAY_LOCATION)
        .placeholders(OutboxSchema.placeholders(table))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE + "_" + table)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  @Test
  void appliesToAnEmptySchemaAndIsIdempotent() throws SQLException {
    MigrateResult first = flyway("outbox").migrate();
    MigrateResult second = flyway("outbox").migrate();

    assertThat(first.migrationsExecuted).isEqualTo(OutboxSchema.MIGRATIONS.size());
    assertThat(second.migrationsExecuted).isZero();
    assertThat(columnsOf("outbox"))
        .containsExactly(
            "seq",
            "id",
            "aggregatetype",
            "aggregateid",
            "type",
            "topic",
            "payload",
            "headers",
            "partition_key",
            "created_at",
            "published_at",
            "attempts",
            "last_error",
            "parked_at",
            "txid",
            "held_by",
            "skipped_at",
            "skipped_by",
            "skip_reason");
  }

  @Test
  void appliesNextToTheApplicationsOwnTables() throws SQLException {
    postgres.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY)");

    assertThat(flyway("beside_app").migrate().migrationsExecuted)
        .isEqualTo(OutboxSchema.MIGRATIONS.size());
    assertThat(columnsOf("beside_app")).contains("seq", "id", "payload");
  }

  @Test
  void tableNameIsConfigurable() throws SQLException {
    flyway("shop_events").migrate();

    assertThat(columnsOf("shop_events")).contains("seq", "id", "payload");
    assertThat(indexesOf("shop_events"))
        .contains("shop_events_txid_idx", "shop_events_parked_idx", "shop_events_id_key")
        .doesNotContain("shop_events_pending_idx");
  }

  @Test
  void optionalNotifyTriggerSignalsCommittedWritesOnly() throws SQLException {
    postgres
        .flyway()
        .locations(OutboxSchema.FLYWAY_LOCATION, OutboxSchema.FLYWAY_NOTIFY_LOCATION)
        .placeholders(OutboxSchema.placeholders("notified", "test_channel"))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE + "_notified")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    OutboxWriter writer = OutboxWriter.builder().table("notified").build();
    try (Connection listener = postgres.dataSource().getConnection();
        Connection writing = postgres.dataSource().getConnection()) {
      listener.setAutoCommit(true);
      try (Statement statement = listener.createStatement()) {
        statement.execute("LISTEN test_channel");
      }
      PGConnection pg = listener.unwrap(PGConnection.class);
      writing.setAutoCommit(false);

      writer.write(writing, OutboxWriterIT.orderPlaced("rolled-back"));
      writing.rollback();
      assertThat(pg.getNotifications(200)).isEmpty();

      writer.writeAll(
          writing, List.of(OutboxWriterIT.orderPlaced("o-1"), OutboxWriterIT.orderPlaced("o-2")));
      writing.commit();
      PGNotification[] notifications = pg.getNotifications(5000);
      assertThat(notifications).hasSize(1);
      assertThat(notifications[0].getName()).isEqualTo("test_channel");
    }
  }

  @Test
  void theClaimsLookupsReadIndexesHoweverMuchHistoryIsKept() throws SQLException {
    flyway("history").migrate();
    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      // 200,000 published rows of history and a handful still to publish.
      statement.execute(
          "INSERT INTO history (id, aggregatetype, aggregateid, type, topic, payload,"
              + " published_at) SELECT gen_random_uuid(), 'order', g::text, 'OrderPlaced',"
              + " 'orders', '\\x00', now() FROM generate_series(1, 200000) g");
      statement.execute(
          "INSERT INTO history (id, aggregatetype, aggregateid, type, topic, payload)"
              + " SELECT gen_random_uuid(), 'order', g::text, 'OrderPlaced', 'orders', '\\x00'"
              + " FROM generate_series(1, 5) g");
      statement.execute("ANALYZE history");

      String above =
          explain(
              statement,
              "SELECT seq FROM history WHERE published_at IS NULL AND parked_at IS NULL"
                  + " AND seq > 200000 ORDER BY seq LIMIT 500");
      String stragglers =
          explain(
              statement,
              "SELECT seq FROM history WHERE published_at IS NULL AND parked_at IS NULL"
                  + " AND seq <= 200000 AND (txid >= '100000000'::xid8 OR txid = ANY('{}'))"
                  + " ORDER BY seq LIMIT 500");

      assertThat(above).contains("history_pkey").doesNotContain("Seq Scan");
      assertThat(stragglers).contains("history_txid_idx").doesNotContain("Seq Scan");
    }
  }

  private static String explain(Statement statement, String query) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rows = statement.executeQuery("EXPLAIN " + query)) {
      while (rows.next()) {
        plan.append(rows.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  private static List<String> columnsOf(String table) throws SQLException {
    return strings(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            + " AND table_name = '"
            + table
            + "' ORDER BY ordinal_position");
  }

  private static List<String> indexesOf(String table) throws SQLException {
    return strings(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '"
            + table
            + "'");
  }

  private static List<String> strings(String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
