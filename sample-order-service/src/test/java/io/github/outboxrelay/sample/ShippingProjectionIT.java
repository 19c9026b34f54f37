package io.github.outboxrelay.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.sample.api.events.OrderCancelled;
import io.github.outboxrelay.sample.api.events.OrderPlaced;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The consumer applies each event once, however often Kafka delivers it. */
class ShippingProjectionIT {

  private static final String TOPIC = "shop-orders-" + UUID.randomUUID().toString().substring(0, 8);

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension();

  @Order(2)
  @RegisterExtension
  static final KafkaExtension kafka = new KafkaExtension();

  @Order(3)
  @RegisterExtension
  static final DropwizardAppExtension<OrderServiceConfiguration> app =
      new DropwizardAppExtension<>(
          OrderServiceApplication.class,
          ResourceHelpers.resourceFilePath("order-service-test.yml"),
          ConfigOverride.config("database.url", postgres::jdbcUrl),
          ConfigOverride.config("consumer.enabled", "true"),
          ConfigOverride.config("consumer.bootstrapServers", kafka::bootstrapServers),
          ConfigOverride.config("consumer.topic", () -> createTopic()),
          ConfigOverride.config("consumer.groupId", "projection-test"));

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

  private static String createTopic() {
    kafka
        .admin()
        .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(TOPIC, 2, (short) 1)));
    return TOPIC;
  }

  private static ProducerRecord<byte[], byte[]> record(
      UUID eventId, String type, Object payload, UUID orderId) throws Exception {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            TOPIC,
            orderId.toString().getBytes(StandardCharsets.UTF_8),
            JSON.writeValueAsBytes(payload));
    record.headers().add("id", eventId.toString().getBytes(StandardCharsets.UTF_8));
    record.headers().add("type", type.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  @Test
  void reDeliveredEventsAreCountedAndSkippedSoTheEffectHappensOnce() throws Exception {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<UUID> eventIds = new ArrayList<>();
    List<UUID> orders = new ArrayList<>();
    long toShip = 0;
    for (int i = 0; i < 20; i++) {
      UUID orderId = UUID.randomUUID();
      UUID eventId = UUID.randomUUID();
      orders.add(orderId);
      eventIds.add(eventId);
      int quantity = 1 + i % 3;
      toShip += i == 0 ? 0 : quantity;
      records.add(
          record(
              eventId,
              OrderPlaced.TYPE,
              new OrderPlaced(orderId, "dup-" + i, "widget", quantity, Instant.now()),
              orderId));
    }
    UUID cancelledOrder = orders.get(0);
    UUID cancelEvent = UUID.randomUUID();
    eventIds.add(cancelEvent);
    records.add(
        record(
            cancelEvent,
            OrderCancelled.TYPE,
            new OrderCancelled(cancelledOrder, "widget", 1, Instant.now()),
            cancelledOrder));
    long duplicatesBefore = duplicates();

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record);
      }
      // The relay re-publishing after a crash: the same events (same ids) a second time.
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record);
      }
      producer.flush();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> duplicates() - duplicatesBefore == records.size());
    assertThat(
            postgres.queryForLong("SELECT count(*) FROM shipments WHERE customer_id LIKE 'dup-%'"))
        .isEqualTo(20);
    assertThat(
            postgres.queryForLong(
                "SELECT count(*) FROM processed_events WHERE event_id::text ="
                    + " ANY(string_to_array(?, ','))",
                String.join(",", eventIds.stream().map(UUID::toString).toList())))
        .isEqualTo(21);
    assertThat(
            postgres.queryForLong(
                "SELECT count(*) FROM shipments WHERE status = 'CANCELLED' AND order_id = ?",
                cancelledOrder))
        .isEqualTo(1);
    assertThat(
            postgres.queryForLong(
                "SELECT sum(quantity) FROM shipments WHERE status = 'TO_SHIP'"
                    + " AND customer_id LIKE 'dup-%'"))
        .isEqualTo(toShip);
  }

  @Test
  void unreadableEventsAreRecordedAsRejectedAndDoNotBlockTheOthers() throws Exception {
    UUID poisonId = UUID.randomUUID();
    UUID orderId = UUID.randomUUID();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
      ProducerRecord<byte[], byte[]> poison =
          new ProducerRecord<>(
              TOPIC,
              "x".getBytes(StandardCharsets.UTF_8),
              "{not json".getBytes(StandardCharsets.UTF_8));
      poison.headers().add("id", poisonId.toString().getBytes(StandardCharsets.UTF_8));
      poison.headers().add("type", OrderPlaced.TYPE.getBytes(StandardCharsets.UTF_8));
      producer.send(poison);
      producer.send(
          record(
              UUID.randomUUID(),
              OrderPlaced.TYPE,
              new OrderPlaced(orderId, "c-x", "widget", 2, Instant.now()),
              orderId));
      producer.flush();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                postgres.queryForLong("SELECT count(*) FROM shipments WHERE order_id = ?", orderId)
                    == 1);
    assertThat(
            postgres.queryForLong(
                "SELECT count(*) FROM processed_events WHERE event_id = ? AND outcome = 'REJECTED'",
                poisonId))
        .isEqualTo(1);
  }

  /**
   * Records the projection cannot store (a NUL in a payload field, a missing field, a type header
   * without a value) used to fail the batch's transaction, which was then read again forever.
   */
  @Test
  void recordsThatCannotBeStoredAreRejectedAndDoNotBlockThePartition() throws Exception {
    UUID orderId = UUID.randomUUID();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
      byte[] key = orderId.toString().getBytes(StandardCharsets.UTF_8);
      producer.send(
          record(
              UUID.randomUUID(),
              OrderPlaced.TYPE,
              new OrderPlaced(orderId, "nul\u0000", "widget", 1, Instant.now()),
              orderId));
      producer.send(
          record(
              UUID.randomUUID(),
              OrderPlaced.TYPE,
              new OrderPlaced(orderId, "c", "widget", 1, null),
              orderId));
      ProducerRecord<byte[], byte[]> noType =
          new ProducerRecord<>(TOPIC, key, "{}".getBytes(StandardCharsets.UTF_8));
      noType.headers().add("id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
      noType.headers().add("type", null);
      producer.send(noType);
      producer.send(
          record(
              UUID.randomUUID(),
              OrderPlaced.TYPE,
              new OrderPlaced(orderId, "after-poison", "widget", 2, Instant.now()),
              orderId));
      producer.flush();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                postgres.queryForLong(
                        "SELECT count(*) FROM shipments WHERE order_id = ?"
                            + " AND customer_id = 'after-poison'",
                        orderId)
                    == 1);
  }

  private static long duplicates() {
    return app.getEnvironment().metrics().meter("shipping.events.duplicates").getCount();
  }
}
