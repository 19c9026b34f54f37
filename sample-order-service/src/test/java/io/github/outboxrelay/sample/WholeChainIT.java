package io.github.outboxrelay.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.relay.RelayApplication;
import io.github.outboxrelay.relay.RelayConfiguration;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole product: orders through the service, the outbox, the relay and Kafka to the idempotent
 * consumer, whose projection must end up matching the orders table.
 */
class WholeChainIT {

  private static final String PREFIX = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private static final String TOPIC = PREFIX + "order";

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension();

  @Order(2)
  @RegisterExtension
  static final KafkaExtension kafka = new KafkaExtension();

  @Order(3)
  @RegisterExtension
  static final DropwizardAppExtension<OrderServiceConfiguration> shop =
      new DropwizardAppExtension<>(
          OrderServiceApplication.class,
          ResourceHelpers.resourceFilePath("order-service-test.yml"),
          ConfigOverride.config("database.url", postgres::jdbcUrl),
          ConfigOverride.config("topicPrefix", PREFIX),
          ConfigOverride.config("consumer.enabled", "true"),
          ConfigOverride.config("consumer.bootstrapServers", kafka::bootstrapServers),
          ConfigOverride.config("consumer.topic", WholeChainIT::createTopic));

  @Order(4)
  @RegisterExtension
  static final DropwizardAppExtension<RelayConfiguration> relay =
      new DropwizardAppExtension<>(
          RelayApplication.class,
          ResourceHelpers.resourceFilePath("relay-e2e.yml"),
          "relay.",
          ConfigOverride.config("relay.", "database.url", postgres::jdbcUrl),
          ConfigOverride.config("relay.", "kafka.bootstrapServers", kafka::bootstrapServers));

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String createTopic() {
    try {
      kafka.admin().createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return TOPIC;
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shop.getLocalPort() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void projectionMatchesTheOrdersTableAfterPlacingAndCancelling() throws Exception {
    postgres.execute("INSERT INTO products (id, name, stock) VALUES ('widget', 'Widget', 120)");
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<HttpResponse<String>>> responses = new ArrayList<>();
    try {
      for (int i = 0; i < 150; i++) {
        String body =
            "{\"customerId\":\"c-%d\",\"productId\":\"widget\",\"quantity\":1}".formatted(i);
        responses.add(clients.submit(() -> post("/orders", body)));
      }
      List<String> placed = new ArrayList<>();
      int refused = 0;
      for (Future<HttpResponse<String>> response : responses) {
        HttpResponse<String> result = response.get();
        if (result.statusCode() == 201) {
          placed.add(JSON.readTree(result.body()).get("id").asText());
        } else {
          assertThat(result.statusCode()).isEqualTo(409);
          refused++;
        }
      }
      assertThat(placed).hasSize(120);
      assertThat(refused).isEqualTo(30);
      for (String id : placed.subList(0, 10)) {
        assertThat(post("/orders/" + id + "/cancel", "{\"version\":0}").statusCode())
            .isEqualTo(200);
      }
    } finally {
      clients.shutdownNow();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                mismatches() == 0
                    && postgres.queryForLong("SELECT count(*) FROM shipments") == 120);
    assertThat(postgres.queryForLong("SELECT count(*) FROM shipments WHERE status = 'CANCELLED'"))
        .isEqualTo(10);
    assertThat(
            postgres.queryForLong(
                "SELECT (SELECT count(*) FROM outbox_pending)"
                    + " + (SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL)"))
        .isZero();
    assertThat(postgres.queryForLong("SELECT count(*) FROM processed_events")).isEqualTo(130);
  }

  /** Orders without a matching shipment, shipments without an order, or differing status. */
  private static long mismatches() throws Exception {
    return postgres.queryForLong(
        "SELECT count(*) FROM orders o FULL JOIN shipments s ON s.order_id = o.id"
            + " WHERE o.id IS NULL OR s.order_id IS NULL"
            + " OR (o.status = 'PLACED') <> (s.status = 'TO_SHIP')"
            + " OR o.quantity <> s.quantity OR o.customer_id <> s.customer_id");
  }
}
