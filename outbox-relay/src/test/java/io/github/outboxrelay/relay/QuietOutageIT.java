package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * While Kafka is away, the relay run from its jar with the shipped configuration logs the outage
 * once, and the Kafka clients do not log each of their reconnection attempts (about three lines a
 * second without the shipped logger levels).
 */
class QuietOutageIT {

  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension(RelayTestSupport::migrateOutbox);

  @TempDir Path directory;

  @Test
  void aKafkaOutageIsOneLogLineNotOnePerReconnectionAttempt() throws Exception {
    RelayTestSupport.commit(postgres, RelayTestSupport.events("orders", 1, 1));
    int adminPort = freePort();
    Path log = directory.resolve("relay.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                System.getProperty("outbox.relay.jar"),
                "server",
                Path.of("../config/relay.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "OUTBOX_JDBC_URL", postgres.jdbcUrl(),
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + freePort(), // nothing listens there
                "RELAY_HTTP_PORT", String.valueOf(freePort()),
                "RELAY_ADMIN_PORT", String.valueOf(adminPort)));
    Process relay = builder.start();
    try {
      // Two batches given up for lack of Kafka: each spent max.block.ms (5 s) reconnecting.
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(() -> rolledBackBatches(adminPort) >= 2);
    } finally {
      relay.destroy();
      assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    List<String> lines = Files.readAllLines(log);
    assertThat(lines.stream().filter(line -> line.contains("Kafka is unavailable")))
        .as("the relay's own line")
        .hasSize(1);
    assertThat(lines)
        .as("Kafka client warnings")
        .noneMatch(line -> line.matches("^(WARN|ERROR) .*org\\.apache\\.kafka\\..*"));
  }

  private static long rolledBackBatches(int adminPort) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode metrics = new ObjectMapper().readTree(response.body());
    return metrics.path("meters").path("outbox.relay.batches.rolled-back").path("count").asLong();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
