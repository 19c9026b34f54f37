package io.github.outboxrelay.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.testing.process.ServiceProcess;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxSchema;
import io.github.outboxrelay.writer.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay image, run as a container (see {@link ContainerRun}): on the runtime and the C
 * libraries it carries, it must serve its health check and publish an event from a real PostgreSQL
 * to a real Kafka, and refuse to start without an admin password.
 */
class RelayImageRunsIT {

  private static final Duration START = Duration.ofSeconds(90);

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
  private ContainerRun relay;

  @BeforeEach
  void unpackTheImage() throws Exception {
    relay = ContainerRun.unpack(ContainerImagesIT.RELAY, root);
  }

  @AfterEach
  void stopTheRelay() throws InterruptedException {
    relay.close();
  }

  @Test
  void itServesItsHealthCheckAndPublishesAnEvent() throws Exception {
    String topic = kafka.createTopic("image", 1);
    int adminPort = ServiceProcess.freePorts(1)[0];
    relay.start(settings(Map.of("RELAY_ADMIN_PASSWORD", "image-test-secret"), adminPort));

    assertThat(relay.awaitReady("http://127.0.0.1:" + adminPort + "/healthcheck", START))
        .as(relay.log())
        .isTrue();
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
    assertThat(records).as(relay.log()).hasSize(1);
    assertThat(
            new String(records.get(0).headers().lastHeader("id").value(), StandardCharsets.UTF_8))
        .isEqualTo(event.id().toString());
    assertThat(relay.log()).doesNotContain("image-test-secret");
  }

  @Test
  void withoutAnAdminPasswordItRefusesToStart() throws Exception {
    relay.start(settings(Map.of(), ServiceProcess.freePorts(1)[0]));

    java.util.OptionalInt exit = relay.awaitExit(START);
    assertThat(exit).as(relay.log()).isPresent();
    assertThat(exit.getAsInt()).isNotZero();
    assertThat(relay.log()).contains("admin.password");
  }

  private static Map<String, String> settings(Map<String, String> more, int adminPort)
      throws Exception {
    Map<String, String> settings = new HashMap<>(more);
    settings.put("OUTBOX_JDBC_URL", postgres.jdbcUrl());
    settings.put("OUTBOX_DB_USER", postgres.server().user());
    if (postgres.server().password() != null) {
      settings.put("OUTBOX_DB_PASSWORD", postgres.server().password());
    }
    settings.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    settings.put("RELAY_ADMIN_PORT", "" + adminPort);
    settings.put("RELAY_HTTP_PORT", "" + ServiceProcess.freePorts(1)[0]);
    return settings;
  }
}
