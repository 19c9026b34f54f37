package io.github.outboxrelay.relay;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxSchema;

/** A fresh schema with the outbox table, as a user's migration creates it (without NOTIFY). */
public final class MigratedOutbox {

  private MigratedOutbox() {}

  /** At the latest version. */
  public static PostgresExtension latest() {
    return atVersion(null);
  }

  /** At {@code version} ({@code null}: the latest), as a table from an older release. */
  public static PostgresExtension atVersion(String version) {
    return new PostgresExtension(
        pg ->
            pg.flyway()
                .locations(OutboxSchema.FLYWAY_LOCATION)
                .placeholders(OutboxSchema.placeholders("outbox"))
                .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
                .target(version == null ? "latest" : version)
                .load()
                .migrate());
  }
}
