package io.github.outboxrelay.sample.health;

import com.codahale.metrics.health.HealthCheck;
import java.sql.Connection;
import javax.sql.DataSource;

/** Healthy when a pooled connection answers within a few seconds. */
public final class DatabaseHealthCheck extends HealthCheck {

  private final DataSource dataSource;

  public DatabaseHealthCheck(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  protected Result check() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(3)
          ? Result.healthy()
          : Result.unhealthy("PostgreSQL did not answer within 3 s");
    }
  }
}
