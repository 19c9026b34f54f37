package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboxSchemaTest {

  private static final String V1 = OutboxSchema.MIGRATIONS.get(0);

  @Test
  void rendersTheMigrationForAGivenTable() {
    String sql = OutboxSchema.render(V1, OutboxSchema.placeholders("events"));

    assertThat(sql)
        .contains("CREATE TABLE events (")
        .contains("CREATE INDEX events_pending_idx ON events (seq)")
        .doesNotContain("${");
  }

  @Test
  void placeholdersCarryTheValidatedTableName() {
    assertThat(OutboxSchema.placeholders("events"))
        .containsEntry("outbox_table", "events")
        .containsEntry("outbox_notify_channel", "outbox_events");
    assertThatThrownBy(() -> OutboxSchema.placeholders("events", "bad-channel"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("notifyChannel 'bad-channel'");
    assertThatThrownBy(() -> OutboxSchema.placeholders("app.events"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a plain SQL identifier");
  }

  @Test
  void rendersTheNotifyTriggerForAChannel() {
    String sql =
        OutboxSchema.render(
            OutboxSchema.NOTIFY_MIGRATION, OutboxSchema.placeholders("events", "shop_events"));

    assertThat(sql)
        .contains("pg_notify('shop_events', '')")
        .contains("AFTER INSERT ON events")
        .doesNotContain("${");
  }

  @Test
  void refusesUnknownMigrations() {
    assertThatThrownBy(
            () -> OutboxSchema.render("V9__nothing.sql", OutboxSchema.placeholders("outbox")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown migration 'V9__nothing.sql'");
  }
}
