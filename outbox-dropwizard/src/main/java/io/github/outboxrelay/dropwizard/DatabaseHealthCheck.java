package io.github.outboxrelay.dropwizard;

import com.codahale.metrics.health.HealthCheck;
import java.sql.Connection;
import javax.sql.DataSource;

/** Healthy when a pooled connection answers within a few seconds. */
final class DatabaseHealthCheck extends HealthCheck {

  private static final int TIMEOUT_SECONDS = 3;

  private final DataSource dataSource;

  DatabaseHealthCheck(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  protected Result check() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(TIMEOUT_SECONDS)
          ? Result.healthy()
          : Result.unhealthy("PostgreSQL did not answer within " + TIMEOUT_SECONDS + " s");
    }
  }
}
