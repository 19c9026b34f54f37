package io.github.outboxrelay.writer;

import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The outbox table's DDL, shipped in this jar as versioned migrations.
 *
 * <p>With Flyway, give the outbox its own history table so its versions cannot clash with yours.
 * Baseline at version 0 so that Flyway accepts a schema that already holds your tables and still
 * applies every outbox migration:
 *
 * <pre>{@code
 * Flyway.configure()
 *     .dataSource(dataSource)
 *     .locations(OutboxSchema.FLYWAY_LOCATION)
 *     .placeholders(OutboxSchema.placeholders("outbox"))
 *     .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
 *     .baselineOnMigrate(true)
 *     .baselineVersion("0")
 *     .load()
 *     .migrate();
 * }</pre>
 *
 * <p>To let relays wake the moment events commit ({@code outbox.listenNotify}), add {@link
 * #FLYWAY_NOTIFY_LOCATION} to the locations: a repeatable migration that installs a statement-level
 * {@code NOTIFY} trigger. It is optional because every notifying commit takes a brief global lock
 * in PostgreSQL; polling alone needs no trigger.
 *
 * <p>With another tool (Liquibase {@code sqlFile}, plain {@code psql}), apply the scripts in {@link
 * #MIGRATIONS} in order (and {@link #NOTIFY_MIGRATION} if wanted), replacing the placeholders, or
 * take the rendered text from {@link #render}.
 *
 * <p>A null argument is refused with an {@link IllegalArgumentException} naming it.
 */
public final class OutboxSchema {

  /** Where the migrations live in this jar, as a Flyway location. */
  public static final String FLYWAY_LOCATION = "classpath:io/github/outboxrelay/writer/migration";

  /** The optional notify trigger, as a Flyway location; see the class description. */
  public static final String FLYWAY_NOTIFY_LOCATION =
      "classpath:io/github/outboxrelay/writer/migration-notify";

  /** The suggested Flyway history table for the outbox's own migrations. */
  public static final String FLYWAY_HISTORY_TABLE = "outbox_schema_history";

  /** The placeholder the scripts use for the (unqualified) table name. */
  public static final String TABLE_PLACEHOLDER = "outbox_table";

  /** The placeholder the notify trigger uses for its channel. */
  public static final String CHANNEL_PLACEHOLDER = "outbox_notify_channel";

  /** The default table name, as {@link OutboxWriter.Builder#table} also assumes. */
  public static final String DEFAULT_TABLE = "outbox";

  /** The default notify channel, as the relay's {@code outbox.notifyChannel} also assumes. */
  public static final String DEFAULT_NOTIFY_CHANNEL = "outbox_events";

  /** The migration scripts, oldest first, as resource paths in this jar. */
  public static final List<String> MIGRATIONS =
      List.of(
          "io/github/outboxrelay/writer/migration/V1__create_outbox_table.sql",
          "io/github/outboxrelay/writer/migration/V2__claim_by_frontier.sql",
          "io/github/outboxrelay/writer/migration/V3__hold_keys_behind_parked_events.sql",
          "io/github/outboxrelay/writer/migration/V4__pause_topics.sql");

  /** The optional notify trigger script (repeatable: apply it again after changing the channel). */
  public static final String NOTIFY_MIGRATION =
      "io/github/outboxrelay/writer/migration-notify/R__outbox_notify_trigger.sql";

  private OutboxSchema() {}

  /**
   * Flyway placeholders for a table name (and the default notify channel), validated as a plain,
   * unqualified SQL identifier; choose the schema with Flyway's {@code defaultSchema}.
   *
   * @throws IllegalArgumentException if the name is null or not a plain identifier
   */
  public static Map<String, String> placeholders(String table) {
    return placeholders(table, DEFAULT_NOTIFY_CHANNEL);
  }

  /**
   * Flyway placeholders for a table name and a notify channel, both validated as plain, unqualified
   * SQL identifiers.
   *
   * @throws IllegalArgumentException if either is null or not a plain identifier
   */
  public static Map<String, String> placeholders(String table, String notifyChannel) {
    return Map.of(
        TABLE_PLACEHOLDER,
        SqlIdentifiers.requireTable(table, "table"),
        CHANNEL_PLACEHOLDER,
        SqlIdentifiers.requireTable(notifyChannel, "notifyChannel"));
  }

  /**
   * The text of one of {@link #MIGRATIONS} or {@link #NOTIFY_MIGRATION} with the placeholders
   * filled in, for tools other than Flyway.
   *
   * @param placeholders from {@link #placeholders}
   * @throws IllegalArgumentException if either argument is null or the migration is unknown
   */
  public static String render(String migration, Map<String, String> placeholders) {
    EventRules.requireNonNull(migration, "migration");
    EventRules.requireNonNull(placeholders, "placeholders");
    if (!MIGRATIONS.contains(migration) && !NOTIFY_MIGRATION.equals(migration)) {
      throw new IllegalArgumentException(
          "unknown migration '" + migration + "'; known: " + MIGRATIONS + ", " + NOTIFY_MIGRATION);
    }
    try (InputStream in = OutboxSchema.class.getClassLoader().getResourceAsStream(migration)) {
      if (in == null) {
        throw new IllegalStateException("migration " + migration + " is missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
        text = text.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration " + migration, e);
    }
  }
}
