package io.github.outboxrelay.relay.health;

import com.codahale.metrics.health.HealthCheck;
import java.sql.Connection;
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
    try (Connection connection = dataSource.getConnection()) {
      boolean valid = connection.isValid(TIMEOUT_SECONDS);
      connection.rollback();
      return valid
          ? Result.healthy()
          : Result.unhealthy("PostgreSQL did not answer within " + TIMEOUT_SECONDS + " s");
    }
  }
}
