package io.github.outboxrelay.sample.demo;

import static io.github.outboxrelay.sample.demo.DemoEnvironment.say;

import io.github.outboxrelay.testing.postgres.EmbeddedPostgresServer;
import io.github.outboxrelay.testing.postgres.LocalPostgres;
import io.github.outboxrelay.testing.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The PostgreSQL the demo runs on: the one {@code OUTBOX_JDBC_URL} names; else the local server at
 * 127.0.0.1:5432 (or {@code OUTBOX_LOCAL_POSTGRES}), if it answers; else an embedded server the
 * demo starts, and stops when it ends.
 */
final class DemoDatabase implements AutoCloseable {

  private final PostgresServer server;
  private final EmbeddedPostgresServer embedded; // null unless the demo started it

  private DemoDatabase(PostgresServer server, EmbeddedPostgresServer embedded) {
    this.server = server;
    this.embedded = embedded;
  }

  static DemoDatabase find(DemoSettings settings) {
    String password = settings.password().isEmpty() ? null : settings.password();
    if (settings.jdbcUrl().isPresent()) {
      PostgresServer configured =
          new PostgresServer(
              settings.jdbcUrl().get(), settings.user(), password, "OUTBOX_JDBC_URL:");
      say("PostgreSQL: %s", configured);
      return new DemoDatabase(configured, null);
    }
    PostgresServer local =
        new PostgresServer(
            LocalPostgres.jdbcUrl(System::getenv, "postgres"),
            settings.user(),
            password,
            "the local server,");
    try (Connection ignored = local.connect()) {
      say("PostgreSQL: %s", local);
      return new DemoDatabase(local, null);
    } catch (SQLException e) {
      say("no PostgreSQL answers at %s (%s)", local.jdbcUrl(), e.getMessage());
    }
    say("starting an embedded PostgreSQL server (binaries from Maven Central)");
    // Commits as durable as a real server's, so that the latencies the report shows are honest,
    // and their times recorded, so that the report measures from the commit.
    EmbeddedPostgresServer started =
        EmbeddedPostgresServer.start(
            "the demo's", Map.of("synchronous_commit", "on", "track_commit_timestamp", "on"));
    say(
        "PostgreSQL: embedded %s at %s; the demo stops it when it ends",
        started.version(), started.server().jdbcUrl());
    return new DemoDatabase(started.server(), started);
  }

  PostgresServer server() {
    return server;
  }

  /** Stops the embedded server, if the demo started one. */
  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
      say("stopped the embedded PostgreSQL server");
    }
  }
}
