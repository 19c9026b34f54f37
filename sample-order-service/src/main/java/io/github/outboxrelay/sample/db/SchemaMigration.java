package io.github.outboxrelay.sample.db;

import io.github.outboxrelay.writer.OutboxSchema;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The shop's schema: its own tables ({@code db/migration}) and the outbox table with its notify
 * trigger from the writer library, each with its own Flyway history so their versions never clash.
 */
public final class SchemaMigration {

  private SchemaMigration() {}

  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    Flyway.configure()
        .dataSource(dataSource)
        .locations(OutboxSchema.FLYWAY_LOCATION, OutboxSchema.FLYWAY_NOTIFY_LOCATION)
        .placeholders(OutboxSchema.placeholders(OutboxSchema.DEFAULT_TABLE))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
