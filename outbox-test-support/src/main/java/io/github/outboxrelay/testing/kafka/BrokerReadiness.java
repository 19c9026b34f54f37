package io.github.outboxrelay.testing.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Waits until a freshly started broker can serve clients. An open port is not enough: after a
 * restart, and especially after SIGKILL, the node stays fenced until the controller accepts its new
 * registration, and until then topic creation fails. So "ready" means the cluster is described
 * <em>and</em> a topic creation would be accepted (validate-only, nothing is created).
 */
final class BrokerReadiness {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int CALL_TIMEOUT_MS = 2_000;
  private static final long POLL_MS = 100;

  private BrokerReadiness() {}

  static void await(LocalKafkaBroker broker, Process process) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    // Polling the port first keeps the Admin client from logging a warning per refused connection.
    while (!acceptsConnections(broker.bootstrapServers())) {
      pause(broker, process, deadline, null);
    }
    try (Admin admin = Admin.create(adminConfig(broker.bootstrapServers()))) {
      Exception lastFailure = null;
      while (true) {
        try {
          probe(admin);
          return;
        } catch (ExecutionException | TimeoutException e) {
          lastFailure = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
        pause(broker, process, deadline, lastFailure);
      }
    }
  }

  private static void probe(Admin admin)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (admin
        .describeCluster(new DescribeClusterOptions().timeoutMs(CALL_TIMEOUT_MS))
        .nodes()
        .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .isEmpty()) {
      throw new TimeoutException("The cluster has no nodes yet");
    }
    admin
        .createTopics(
            List.of(new NewTopic("outbox-readiness-probe", 1, (short) 1)),
            new CreateTopicsOptions().validateOnly(true).timeoutMs(CALL_TIMEOUT_MS))
        .all()
        .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private static boolean acceptsConnections(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(
            hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    try (Socket socket = new Socket()) {
      socket.connect(address, CALL_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Sleeps one poll interval, or fails if the broker died or the time is up. */
  private static void pause(
      LocalKafkaBroker broker, Process process, long deadline, Exception lastFailure) {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "The Kafka broker process exited with code "
              + process.exitValue()
              + " while starting at "
              + broker.bootstrapServers()
              + "\n"
              + broker.logTail());
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "The Kafka broker at "
              + broker.bootstrapServers()
              + " was not ready after "
              + TIMEOUT
              + (lastFailure == null ? " (port closed)" : " (last probe: " + lastFailure + ")")
              + "\n"
              + broker.logTail(),
          lastFailure);
    }
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  private static Map<String, Object> adminConfig(String bootstrapServers) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG,
        "outbox-test-readiness",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        CALL_TIMEOUT_MS,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        CALL_TIMEOUT_MS,
        AdminClientConfig.RETRY_BACKOFF_MS_CONFIG,
        100,
        AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG,
        200,
        AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG,
        50,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
        200);
  }
}
