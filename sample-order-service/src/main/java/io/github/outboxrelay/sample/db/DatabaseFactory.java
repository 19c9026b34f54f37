package io.github.outboxrelay.sample.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.zaxxer.hikari.HikariConfig;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.github.outboxrelay.dropwizard.DatabasePoolFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The shop's database. Keys (defaults): {@code url} (required), {@code user} (required), {@code
 * password} (empty; from the environment), {@code maxPoolSize} (10), {@code connectionTimeout} (1s:
 * how long a transaction waits for a pooled connection before it counts the database as away).
 */
public class DatabaseFactory extends DatabasePoolFactory {

  @Min(1)
  @Max(200)
  private int maxPoolSize = 10;

  // Hikari refuses less than 250 ms.
  @NotNull
  @MinDuration(value = 250, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration connectionTimeout = Duration.seconds(1);

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
    // Hikari's 30 s would hold a request that long while PostgreSQL restarts; the transaction
    // runner
    // retries within its own budget instead. Validation must not take longer than the wait.
    config.setConnectionTimeout(connectionTimeout.toMilliseconds());
    config.setValidationTimeout(
        Math.min(config.getValidationTimeout(), connectionTimeout.toMilliseconds()));
    // Set once per pooled connection, not per transaction: each setTransactionIsolation() call is
    // a round trip of its own in pgjdbc, a quarter of an order transaction's statements.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
  }
}
