package io.github.outboxrelay.relay.health;

import com.codahale.metrics.health.HealthCheck;
import io.github.outboxrelay.relay.db.Transactions;
import javax.sql.DataSource;

/** Healthy when a pooled connection answers within a few seconds. */
public final class DatabaseHealthCheck extends HealthCheck {

  private static final int TIMEOUT_SECONDS = 3;

  private final DataSource dataSource;

  public DatabaseHealthCheck(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  protected Result check() throws Exception {
    boolean valid =
        Transactions.inTransaction(dataSource, connection -> connection.isValid(TIMEOUT_SECONDS));
    return valid
        ? Result.healthy()
        : Result.unhealthy("PostgreSQL did not answer within " + TIMEOUT_SECONDS + " s");
  }
}
