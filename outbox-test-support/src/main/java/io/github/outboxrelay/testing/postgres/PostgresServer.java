package io.github.outboxrelay.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Where the tests' PostgreSQL runs: a JDBC URL for its base database and the credentials. */
public record PostgresServer(String jdbcUrl, String user, String password, String origin) {

  /**
   * Opens a plain connection to the base database, autocommit on, for administrative statements.
   */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  @Override
  public String toString() {
    // Never print the password.
    return origin + " " + jdbcUrl + " as " + user;
  }
}
