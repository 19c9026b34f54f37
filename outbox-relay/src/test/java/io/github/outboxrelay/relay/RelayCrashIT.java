package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.duplicates;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.publishedCount;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dropwizard.testing.ResourceHelpers;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.testing.postgres.PostgresServer;
import io.github.outboxrelay.writer.OutboxEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packaged relay, started as users start it ({@code java -jar … server relay.yml}), is killed
 * with SIGKILL in the middle of a backlog; a second relay finishes the work and nothing is lost.
 * Events the first relay sent but could not mark published are sent again: at-least-once.
 */
class RelayCrashIT {

  private static final Logger LOG = LoggerFactory.getLogger(RelayCrashIT.class);
  private static final int EVENTS = 30_000;
  private static final Path WORK_DIR =
      Path.of(System.getProperty("outbox.relay.jar", "target/outbox-relay.jar"))
          .toAbsolutePath()
          .resolveSibling("relay-crash-it");

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension(RelayTestSupport::migrateOutbox);

  @Order(2)
  @RegisterExtension
  static final KafkaExtension kafka = new KafkaExtension();

  private final List<RelayProcess> relays = new ArrayList<>();

  /** Shows what the relays logged when the test failed; runs after {@link #killRelays}. */
  @RegisterExtension
  final TestWatcher relayLogs =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          relays.forEach(relay -> System.err.println(relay.logTail(80)));
        }
      };

  @AfterEach
  void killRelays() {
    relays.forEach(RelayProcess::kill);
  }

  @Test
  void aRelayKilledMidStreamLosesNothingAndASecondRelayFinishesTheWork() throws Exception {
    String topic = kafka.createTopic("crash", 6);
    List<OutboxEvent> events = commitEvents(topic);
    Path config = writeConfig();

    RelayProcess first = startAndAwaitMidStream("first", config, topic);
    first.kill();

    assertThat(pending(postgres)).as("rows left unpublished by the killed relay").isPositive();
    start("second", config);
    await().atMost(CATCH_UP).until(() -> pending(postgres) == 0);

    assertThat(publishedCount(postgres, topic)).isEqualTo(EVENTS);
    List<UUID> received = eventIds(consumeAll(kafka.bootstrapServers(), topic));
    assertThat(new HashSet<>(received)).isEqualTo(RelayTestSupport.ids(events));
    LOG.info(
        "{} records for {} events; {} events arrived twice",
        received.size(),
        EVENTS,
        duplicates(received).size());
  }

  @Test
  void aGracefullyStoppedRelayFinishesItsBatchSoNothingArrivesTwice() throws Exception {
    String topic = kafka.createTopic("graceful", 6);
    int adminPort = freePort();
    Path config = writeConfig(adminPort);
    // SIGTERM before Dropwizard has finished starting skips its shutdown hook (a crash, then):
    // wait until the relay serves its admin port before giving it work to be stopped in.
    RelayProcess first = start("graceful-first", config);
    await().atMost(CATCH_UP).until(() -> healthy(adminPort));
    List<OutboxEvent> events = commitEvents(topic);
    await()
        .atMost(CATCH_UP)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> publishedCount(postgres, topic) > EVENTS / 5);

    // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (Dropwizard's stop), it was not killed.
    assertThat(first.terminate()).isEqualTo(143);
    start("graceful-second", config);
    await().atMost(CATCH_UP).until(() -> pending(postgres) == 0);

    List<UUID> received = eventIds(consumeAll(kafka.bootstrapServers(), topic));
    assertThat(new HashSet<>(received)).isEqualTo(RelayTestSupport.ids(events));
    // The stopped relay marked every batch Kafka acknowledged before it exited.
    assertThat(duplicates(received)).isEmpty();
  }

  private static boolean healthy(int adminPort) {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static List<OutboxEvent> commitEvents(String topic) throws SQLException {
    List<OutboxEvent> events = RelayTestSupport.events(topic, EVENTS, 500);
    for (int i = 0; i < EVENTS; i += 5_000) {
      RelayTestSupport.commit(postgres, events.subList(i, i + 5_000));
    }
    return events;
  }

  /** Starts a relay and returns once it has published a fifth of the events, so it is busy. */
  private RelayProcess startAndAwaitMidStream(String name, Path config, String topic)
      throws IOException {
    RelayProcess relay = start(name, config);
    await()
        .atMost(CATCH_UP)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> publishedCount(postgres, topic) > EVENTS / 5);
    return relay;
  }

  private RelayProcess start(String name, Path config) throws IOException {
    RelayProcess relay = RelayProcess.start(name, config);
    relays.add(relay);
    return relay;
  }

  /** relay-test.yml pointed at this class's schema and the test broker. */
  private static Path writeConfig() throws IOException {
    return writeConfig(0);
  }

  private static Path writeConfig(int adminPort) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode config =
        (ObjectNode)
            yaml.readTree(Path.of(ResourceHelpers.resourceFilePath("relay-test.yml")).toFile());
    PostgresServer server = postgres.server();
    ObjectNode database = (ObjectNode) config.get("database");
    database.put("url", postgres.jdbcUrl());
    database.put("user", server.user());
    if (server.password() != null && !server.password().isEmpty()) {
      database.put("password", server.password());
    }
    ((ObjectNode) config.get("kafka")).put("bootstrapServers", kafka.bootstrapServers());
    ((ObjectNode) config.get("server").get("adminConnectors").get(0)).put("port", adminPort);
    Files.createDirectories(WORK_DIR);
    Path file = WORK_DIR.resolve("relay-" + postgres.schema() + "-" + adminPort + ".yml");
    yaml.writeValue(file.toFile(), config);
    return file;
  }

  /** A relay in a JVM of its own, its output in a file under target/. */
  private static final class RelayProcess {

    private final String name;
    private final Process process;
    private final Path log;
    // Should the test JVM exit before @AfterEach ran (a fork timeout, say), the relay goes too.
    private final Thread reaper;

    private RelayProcess(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
      this.reaper = new Thread(process::destroyForcibly, "relay-reaper-" + name);
      Runtime.getRuntime().addShutdownHook(reaper);
    }

    static RelayProcess start(String name, Path config) throws IOException {
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      String jar = System.getProperty("outbox.relay.jar");
      assertThat(jar).as("system property outbox.relay.jar, set by failsafe").isNotNull();
      Path log = config.resolveSibling(config.getFileName() + "." + name + ".log");
      Process process =
          new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "server", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new RelayProcess(name, process, log);
    }

    /** SIGKILL: no shutdown hook, no rollback, the open transaction dies with the connection. */
    void kill() {
      process.destroyForcibly();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("Relay " + name + " survived SIGKILL");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down and runs the hook anyway
      }
    }

    /**
     * SIGTERM, as an orchestrator stops a service: it must exit by itself, in time.
     *
     * @return the exit status
     */
    int terminate() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS))
          .as("relay %s exits after SIGTERM", name)
          .isTrue();
      Runtime.getRuntime().removeShutdownHook(reaper);
      return process.exitValue();
    }

    String logTail(int lines) {
      try {
        List<String> all = Files.readAllLines(log);
        return "--- last lines of relay "
            + name
            + " ("
            + log
            + ") ---\n"
            + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "--- relay " + name + ": cannot read " + log + ": " + e;
      }
    }
  }
}
