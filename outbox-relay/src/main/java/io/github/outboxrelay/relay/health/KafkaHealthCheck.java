package io.github.outboxrelay.relay.health;

import com.codahale.metrics.health.HealthCheck;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Healthy when the cluster describes itself within a few seconds. */
public final class KafkaHealthCheck extends HealthCheck {

  private static final int TIMEOUT_MILLIS = 3000;

  private final Admin admin;

  public KafkaHealthCheck(Admin admin) {
    this.admin = admin;
  }

  @Override
  protected Result check() throws Exception {
    int brokers =
        admin
            .describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MILLIS))
            .nodes()
            .get(TIMEOUT_MILLIS + 500L, TimeUnit.MILLISECONDS)
            .size();
    return brokers > 0 ? Result.healthy("%d broker(s)", brokers) : Result.unhealthy("no brokers");
  }
}
