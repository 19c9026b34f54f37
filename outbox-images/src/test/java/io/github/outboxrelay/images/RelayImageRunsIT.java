package io.github.outboxrelay.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.testing.process.ServiceProcess;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxSchema;
import io.github.outboxrelay.writer.OutboxWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay image, run as a container runtime would run it, without one: its layers unpacked into a
 * root file system of their own, its entrypoint and command started there (chroot, with a /proc of
 * its own from unshare) as the image's user, with the image's environment. It must serve its health
 * check and publish an event from a real PostgreSQL to a real Kafka, on the runtime and the C
 * libraries the image carries, and refuse to start without an admin password.
 *
 * <p>chroot and unshare need root. Elsewhere the test is skipped, saying so, unless {@value
 * #REQUIRED} is set (CI sets it), when it fails instead.
 */
class RelayImageRunsIT {

  private static final String REQUIRED = "OUTBOX_REQUIRE_IMAGE_RUN";
  private static final Duration START = Duration.ofSeconds(90);
  private static final Path UNSHARE = Path.of("/usr/bin/unshare");
  private static final Path CHROOT = Path.of("/usr/sbin/chroot");

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres =
      new PostgresExtension(
          pg ->
              pg.flyway()
                  .locations(OutboxSchema.FLYWAY_LOCATION)
                  .placeholders(OutboxSchema.placeholders("outbox"))
                  .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
                  .load()
                  .migrate());

  @Order(2)
  @RegisterExtension
  static final KafkaExtension kafka = new KafkaExtension();

  @TempDir Path root;
  private Process relay;
  private Path log;

  @BeforeEach
  void unpackTheImage() throws Exception {
    boolean canRun =
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(UNSHARE)
            && Files.isExecutable(CHROOT);
    if (System.getenv(REQUIRED) != null) {
      assertThat(canRun).as("root, unshare and chroot, which %s requires", REQUIRED).isTrue();
    }
    Assumptions.assumeTrue(canRun, "running an image without a container runtime needs root");
    // The root of a container's file system is world-readable; JUnit makes temporary ones private.
    Files.setPosixFilePermissions(
        root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    OciImage.read(ContainerImagesIT.RELAY).unpack(root);
    Files.createDirectories(root.resolve("proc"));
    Files.createDirectories(root.resolve("dev"));
    for (String file : List.of("hosts", "resolv.conf")) {
      Files.copy(Path.of("/etc", file), root.resolve("etc").resolve(file));
    }
    log = Path.of("target", "relay-image-" + System.nanoTime() + ".log");
  }

  @AfterEach
  void stopTheRelay() throws InterruptedException {
    if (relay != null && relay.isAlive()) {
      relay.destroy(); // unshare passes SIGTERM on to the relay, which shuts down cleanly
      if (!relay.waitFor(30, TimeUnit.SECONDS)) {
        relay.destroyForcibly();
      }
    }
  }

  @Test
  void itServesItsHealthCheckAndPublishesAnEvent() throws Exception {
    String topic = kafka.createTopic("image", 1);
    int adminPort = ServiceProcess.freePorts(1)[0];
    relay =
        start(
            Map.of(
                "RELAY_ADMIN_PASSWORD", "image-test-secret", "RELAY_ADMIN_PORT", "" + adminPort));

    await().atMost(START).until(() -> relayExited() || healthCheckStatus(adminPort) == 200);
    assertThat(relay.isAlive()).as(Files.readString(log)).isTrue();
    OutboxEvent event =
        OutboxEvent.builder()
            .aggregateType("order")
            .aggregateId("order-1")
            .eventType("OrderPlaced")
            .topic(topic)
            .jsonPayload("{\"from\":\"the image\"}")
            .build();
    try (Connection connection = postgres.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      OutboxWriter.builder().build().write(connection, event);
      connection.commit();
    }

    List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 1, Duration.ofSeconds(60));
    assertThat(records).as(Files.readString(log)).hasSize(1);
    assertThat(
            new String(records.get(0).headers().lastHeader("id").value(), StandardCharsets.UTF_8))
        .isEqualTo(event.id().toString());
    assertThat(Files.readString(log)).doesNotContain("image-test-secret");
  }

  @Test
  void withoutAnAdminPasswordItRefusesToStart() throws Exception {
    relay = start(Map.of("RELAY_ADMIN_PORT", "" + ServiceProcess.freePorts(1)[0]));

    assertThat(relay.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(relay.exitValue()).isNotZero();
    assertThat(Files.readString(log)).contains("admin.password");
  }

  /** Starts the image's entrypoint and command in its root, as its user, with its environment. */
  private Process start(Map<String, String> settings) throws IOException {
    JsonNode config = OciImage.read(ContainerImagesIT.RELAY).config();
    // What a container runtime gives a container besides its layers: /proc and /dev of its own
    // (without /dev/urandom the JVM's SecureRandom blocks), and the host's name and resolver.
    List<String> command =
        new ArrayList<>(
            List.of(
                UNSHARE.toString(),
                "--mount",
                "--pid",
                "--fork",
                "--kill-child=SIGTERM",
                "--mount-proc=" + root.resolve("proc"),
                "/bin/sh",
                "-c",
                "root=$1; user=$2; shift 2; mount --rbind /dev \"$root/dev\""
                    + " && exec "
                    + CHROOT
                    + " --userspec=\"$user\" \"$root\" \"$@\"",
                "sh",
                root.toString(),
                config.path("User").asText()));
    config.path("Entrypoint").forEach(part -> command.add(part.asText()));
    config.path("Cmd").forEach(part -> command.add(part.asText()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    config
        .path("Env")
        .forEach(
            variable -> {
              String[] nameAndValue = variable.asText().split("=", 2);
              environment.put(nameAndValue[0], nameAndValue[1]);
            });
    environment.put("OUTBOX_JDBC_URL", postgres.jdbcUrl());
    environment.put("OUTBOX_DB_USER", postgres.server().user());
    if (postgres.server().password() != null) {
      environment.put("OUTBOX_DB_PASSWORD", postgres.server().password());
    }
    environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    environment.put("RELAY_HTTP_PORT", "" + ServiceProcess.freePorts(1)[0]);
    environment.putAll(settings);
    return builder.start();
  }

  private boolean relayExited() {
    return !relay.isAlive();
  }

  private static int healthCheckStatus(int port) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthcheck"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
