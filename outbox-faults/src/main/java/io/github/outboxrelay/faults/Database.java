package io.github.outboxrelay.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The suite's own access to PostgreSQL: a fresh connection per use, retried while the server
 * restarts (one of the faults), so no fault leaves the suite holding a broken connection.
 */
final class Database {

  private static final Pattern URL = Pattern.compile("^jdbc:postgresql://([^/?]*)(.*)$");
  private static final Duration RETRY_FOR = Duration.ofSeconds(60);

  @FunctionalInterface
  interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final FaultSettings settings;

  Database(FaultSettings settings) {
    this.settings = settings;
  }

  /** A connection to the suite's schema, which the caller closes. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(settings.schemaJdbcUrl(), credentials());
  }

  /** A connection to the database itself, outside the schema. */
  Connection connectToDatabase() throws SQLException {
    return DriverManager.getConnection(settings.jdbcUrl(), credentials());
  }

  /** Runs {@code work} on a fresh connection, again on failure until a minute has passed. */
  <T> T withRetry(Work<T> work) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    while (true) {
      try (Connection connection = connect()) {
        return work.apply(connection);
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  long count(String sql) throws SQLException, InterruptedException {
    return withRetry(connection -> count(connection, sql));
  }

  static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The host and port of the JDBC URL, which the relays' proxies forward to. */
  String host() {
    return authority()[0];
  }

  int port() {
    String[] authority = authority();
    return authority.length > 1 ? Integer.parseInt(authority[1]) : 5432;
  }

  /** A JDBC URL through a proxy on {@code proxyPort}, in the suite's schema. */
  String proxiedJdbcUrl(int proxyPort) {
    Matcher matcher = matcher();
    String rest = matcher.group(2);
    String url = "jdbc:postgresql://127.0.0.1:" + proxyPort + (rest.isEmpty() ? "/" : rest);
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + FaultSettings.SCHEMA;
  }

  /**
   * A relay's JDBC URL: through its proxy, in the suite's schema, and with an application name of
   * its own, which tells its lease connection from the other relay's in {@code pg_stat_activity}
   * (pgjdbc lets the URL's ApplicationName win over the one the relay sets).
   */
  String relayJdbcUrl(int proxyPort, String applicationName) {
    return proxiedJdbcUrl(proxyPort) + "&ApplicationName=" + applicationName;
  }

  private String[] authority() {
    String authority = matcher().group(1);
    int comma = authority.indexOf(',');
    return (comma < 0 ? authority : authority.substring(0, comma)).split(":", 2);
  }

  private Matcher matcher() {
    Matcher matcher = URL.matcher(settings.jdbcUrl());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "OUTBOX_JDBC_URL must start with jdbc:postgresql://host[:port]/");
    }
    return matcher;
  }

  private Properties credentials() {
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    if (!settings.password().isEmpty()) {
      properties.setProperty("password", settings.password());
    }
    return properties;
  }
}
