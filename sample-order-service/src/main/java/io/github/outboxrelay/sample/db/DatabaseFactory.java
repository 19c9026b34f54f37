package io.github.outboxrelay.sample.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.zaxxer.hikari.HikariConfig;
import io.github.outboxrelay.dropwizard.DatabasePoolFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The shop's database. Keys (defaults): {@code url} (required), {@code user} (required), {@code
 * password} (empty; from the environment), {@code maxPoolSize} (10).
 */
public class DatabaseFactory extends DatabasePoolFactory {

  @Min(1)
  @Max(200)
  private int maxPoolSize = 10;

  @Override
  @JsonProperty
  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  @JsonProperty
  public void setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = maxPoolSize;
  }

  @Override
  protected void configure(HikariConfig config) {
    // Set once per pooled connection, not per transaction: each setTransactionIsolation() call is
    // a round trip of its own in pgjdbc, a quarter of an order transaction's statements.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
  }
}
