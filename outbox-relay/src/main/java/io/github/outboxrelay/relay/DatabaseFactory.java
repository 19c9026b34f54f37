package io.github.outboxrelay.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.zaxxer.hikari.HikariConfig;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.github.outboxrelay.dropwizard.DatabasePoolFactory;
import io.github.outboxrelay.dropwizard.JdbcUrls;
import io.github.outboxrelay.relay.db.OutboxTableCheck;
import io.github.outboxrelay.relay.db.Transactions;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The {@code database} section: where the outbox lives and the pool ({@link DatabasePoolFactory}),
 * with the relay's pool size and connection timeout, and the connections the lease and the listener
 * hold outside the pool. Keys and defaults: the README's "Relay configuration" table.
 */
public class DatabaseFactory extends DatabasePoolFactory {

  @Min(2)
  @Max(64)
  private int maxPoolSize = 4;

  @NotNull
  @MinDuration(value = 250, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
  private Duration connectionTimeout = Duration.seconds(5);

  @Override
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

  @Override
  protected void configure(HikariConfig config) {
    config.setMinimumIdle(1);
    config.setConnectionTimeout(connectionTimeout.toMilliseconds());
    // Start even when the database is down: the relay loop waits for it and reports it unhealthy.
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("tcpKeepAlive", "true");
    // The claim's bounds are values (the cursor, the snapshot's xmax), and only a plan made for
    // them sees that "txid >= xmax" matches next to nothing. A generic plan (PostgreSQL's choice
    // after five executions of a prepared statement) walked the primary key below the cursor on
    // every claim instead: the benchmark's drain fell to 30,000 rows/s as the cursor grew. A
    // start-up
    // parameter, not connectionInitSql: with auto-commit off, that statement left every new
    // connection in an open transaction (DatabaseOutageIT caught it).
    config.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan");
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
              + JdbcUrls.masked(getUrl())
              + " as "
              + getUser()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A fresh connection outside the pool, for a listener that waits on it indefinitely. */
  public Connection openUnpooled(String applicationName) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", getUser());
    if (password() != null) {
      properties.setProperty("password", password());
    }
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty(
        "connectTimeout", String.valueOf(Math.max(1, connectionTimeout.toSeconds())));
    return DriverManager.getConnection(getUrl(), properties);
  }

  @Override
  public String toString() {
    return super.toString() + ", connectionTimeout=" + connectionTimeout;
  }
}
