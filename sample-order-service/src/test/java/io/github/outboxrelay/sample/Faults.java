package io.github.outboxrelay.sample;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.testing.net.TcpProxy;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database faults for tests, without restarting the shared server: a {@link TcpProxy} between a
 * client and PostgreSQL (cut it, stall it, close it), and a way to see when the client's backend
 * waits for a lock the test holds, so the test can strike at that moment.
 */
public final class Faults {

  private static final Pattern URL =
      Pattern.compile("(jdbc:postgresql://)([^/:?,]+)(?::(\\d+))?(/.*)");

  private Faults() {}

  /** A proxy in front of the test server. */
  public static TcpProxy proxyTo(PostgresExtension postgres) throws IOException {
    Matcher url = matched(postgres.jdbcUrl());
    return TcpProxy.start(
        url.group(2), url.group(3) == null ? 5432 : Integer.parseInt(url.group(3)));
  }

  /** The test class's JDBC URL (its schema included), through {@code proxy}. */
  public static String jdbcUrlThrough(TcpProxy proxy, PostgresExtension postgres) {
    Matcher url = matched(postgres.jdbcUrl());
    return url.group(1) + "127.0.0.1:" + proxy.port() + url.group(4);
  }

  /** A pool of {@code size} connections to the test class's schema through {@code proxy}. */
  public static HikariDataSource pool(
      PostgresExtension postgres, String jdbcUrl, int size, Duration connectionTimeout) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(postgres.server().user());
    config.setPassword(postgres.server().password());
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setValidationTimeout(connectionTimeout.toMillis());
    config.setPoolName("faults-" + postgres.schema());
    return new HikariDataSource(config);
  }

  /** The server process behind {@code connection}. */
  public static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
      pid.next();
      return pid.getInt(1);
    }
  }

  /**
   * Waits until some backend waits for a lock that {@code holder}'s backend holds, and returns that
   * backend's process id.
   */
  public static int awaitBlockedBy(PostgresExtension postgres, Connection holder)
      throws SQLException {
    int holderPid = backendPid(holder);
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                (int)
                    postgres.queryForLong(
                        "SELECT coalesce(min(pid), 0) FROM pg_stat_activity"
                            + " WHERE ?::int = ANY (pg_blocking_pids(pid))",
                        holderPid),
            pid -> pid != 0);
  }

  public static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Matcher matched(String jdbcUrl) {
    Matcher url = URL.matcher(jdbcUrl);
    if (!url.matches()) {
      throw new IllegalArgumentException("not a single-host PostgreSQL JDBC URL: " + jdbcUrl);
    }
    return url;
  }
}
