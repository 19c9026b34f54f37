package io.github.outboxrelay.relay.db;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxSchema;
import java.sql.Connection;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The start-up check of the outbox table, against real catalogs. */
class OutboxTableCheckIT {

  @RegisterExtension
  static final PostgresExtension postgres =
      new PostgresExtension(
          pg -> {
            pg.flyway()
                .locations(OutboxSchema.FLYWAY_LOCATION)
                .placeholders(OutboxSchema.placeholders("inventory_outbox"))
                .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
                .load()
                .migrate();
            pg.execute("CREATE TABLE loose_outbox AS SELECT * FROM inventory_outbox WITH NO DATA");
          });

  @Test
  void aMixedCaseTableNameIsFoundWhateverTheJvmLocale() throws Exception {
    Locale original = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR")); // "I".toLowerCase() is a dotless ı here
    try (Connection connection = postgres.dataSource().getConnection()) {
      assertThatCode(() -> OutboxTableCheck.verify(connection, "Inventory_Outbox"))
          .doesNotThrowAnyException();
      assertThatCode(
              () -> OutboxTableCheck.verify(connection, postgres.schema() + ".INVENTORY_OUTBOX"))
          .doesNotThrowAnyException();
    } finally {
      Locale.setDefault(original);
    }
  }

  @Test
  void aTableWhoseSeqMayBeNullIsRefused() throws Exception {
    // CREATE TABLE AS copies the columns but none of the constraints.
    try (Connection connection = postgres.dataSource().getConnection()) {
      assertThatThrownBy(() -> OutboxTableCheck.verify(connection, "loose_outbox"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("lets column seq be NULL");
    }
  }

  @Test
  void otherNullableColumnsAreTolerated() throws Exception {
    postgres.execute(
        "CREATE TABLE tolerated_outbox AS SELECT * FROM inventory_outbox WITH NO DATA",
        "ALTER TABLE tolerated_outbox ALTER COLUMN seq SET NOT NULL",
        "CREATE TABLE tolerated_outbox_relay_position"
            + " (LIKE inventory_outbox_relay_position INCLUDING ALL)",
        "CREATE TABLE tolerated_outbox_relay_pause"
            + " (LIKE inventory_outbox_relay_pause INCLUDING ALL)");
    try (Connection connection = postgres.dataSource().getConnection()) {
      assertThatCode(() -> OutboxTableCheck.verify(connection, "tolerated_outbox"))
          .doesNotThrowAnyException();
    }
  }
}
