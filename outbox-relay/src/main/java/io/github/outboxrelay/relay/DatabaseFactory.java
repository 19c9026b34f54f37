package io.github.outboxrelay.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.github.outboxrelay.dropwizard.JdbcUrls;
import io.github.outboxrelay.relay.db.OutboxTableCheck;
import io.github.outboxrelay.relay.db.Transactions;
import io.github.outboxrelay.relay.health.DatabaseHealthCheck;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The {@code database} section: where the outbox lives, the pool and the connections the lease and
 * the listener hold outside it. Keys and defaults: the README's "Relay configuration" table.
 */
public class DatabaseFactory {

  @NotBlank private String url;
  @NotBlank private String user;
  private String password = "";

  @Min(2)
  @Max(64)
  private int maxPoolSize = 4;

  @NotNull
  @MinDuration(value = 250, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
  private Duration connectionTimeout = Duration.seconds(5);

  @JsonProperty
  public String getUrl() {
    return url;
  }

  @JsonProperty
  public void setUrl(String url) {
    this.url = url;
  }

  @JsonProperty
  public String getUser() {
    return user;
  }

  @JsonProperty
  public void setUser(String user) {
    this.user = user;
  }

  @JsonProperty
  public void setPassword(String password) {
    this.password = password;
  }

  @JsonProperty
  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  @JsonProperty
  public void setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = maxPoolSize;
  }

  @JsonProperty
  public Duration getConnectionTimeout() {
    return connectionTimeout;
  }

  @JsonProperty
  public void setConnectionTimeout(Duration connectionTimeout) {
    this.connectionTimeout = connectionTimeout;
  }

  private HikariDataSource build(String poolName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    // pgjdbc would log a URL it rejects whole, password included.
    config.setJdbcUrl(JdbcUrls.requireAccepted("database.url", url));
    config.setUsername(user);
    config.setPassword(password == null || password.isEmpty() ? null : password);
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(connectionTimeout.toMilliseconds());
    config.setAutoCommit(false);
    // Start even when the database is down: the relay loop waits for it and reports it unhealthy.
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("ApplicationName", poolName);
    config.addDataSourceProperty("tcpKeepAlive", "true");
    return new HikariDataSource(config);
  }

  /**
   * The pool, closed when the service stops (register it first, so it is closed last), and the
   * {@code database} health check on it.
   */
  public HikariDataSource build(Environment environment, String poolName) {
    HikariDataSource dataSource = build(poolName);
    environment.lifecycle().manage(new AutoCloseableManager(dataSource));
    environment.healthChecks().register("database", new DatabaseHealthCheck(dataSource));
    return dataSource;
  }

  /**
   * Checks that the outbox table is there as the relay needs it, and that the database answers at
   * all, with a message that says which.
   */
  public void verifyOutboxTable(DataSource dataSource, String table) {
    try {
      Transactions.inTransaction(
          dataSource,
          connection -> {
            OutboxTableCheck.verify(connection, table);
            return null;
          });
    } catch (SQLException e) {
      // The URL may carry a password; the cause is the pool's, which masks it too.
      throw new IllegalStateException(
          "Cannot reach PostgreSQL at "
              + JdbcUrls.masked(url)
              + " as "
              + user
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A fresh connection outside the pool, for a listener that waits on it indefinitely. */
  public Connection openUnpooled(String applicationName) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty(
        "connectTimeout", String.valueOf(Math.max(1, connectionTimeout.toSeconds())));
    return DriverManager.getConnection(url, properties);
  }

  /** For the start-up summary: no password, and no query value of the URL (it may hold one). */
  @Override
  public String toString() {
    String maskedUrl = JdbcUrls.masked(url);
    String maskedPassword = password == null || password.isEmpty() ? "(none)" : "****";
    return String.format(
        Locale.ROOT,
        "url=%s, user=%s, password=%s, maxPoolSize=%d, connectionTimeout=%s",
        maskedUrl,
        user,
        maskedPassword,
        maxPoolSize,
        connectionTimeout);
  }
}
