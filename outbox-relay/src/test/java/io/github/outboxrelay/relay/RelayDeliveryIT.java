package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.assertEveryEventArrivedInKeyOrder;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.idsByKey;
import static io.github.outboxrelay.relay.FaultTestSupport.retries;
import static io.github.outboxrelay.relay.FaultTestSupport.writtenByKey;
import static io.github.outboxrelay.relay.RelayTestSupport.commit;
import static io.github.outboxrelay.relay.RelayTestSupport.header;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static io.github.outboxrelay.relay.RelayTestSupport.rollBack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.outboxrelay.writer.OutboxEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Committed events reach Kafka as written; rolled-back ones never do. */
@TestMethodOrder(MethodOrderer.MethodName.class)
class RelayDeliveryIT {

  @RegisterExtension static final RelayHarness harness = RelayHarness.onSharedKafka();

  @Test
  void committedEventsArriveWithTopicKeyValueAndHeadersAndRolledBackOnesNever() throws Exception {
    String topic = harness.createTopic("orders", 3);
    OutboxEvent withHeaders =
        OutboxEvent.builder()
            .aggregateType("order")
            .aggregateId("order-7")
            .eventType("OrderPlaced")
            .topic(topic)
            .jsonPayload("{\"orderId\":\"order-7\",\"total\":\"12.50\"}")
            .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .header("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
            .header("tenant", "zoë")
            .build();
    List<OutboxEvent> committed = new ArrayList<>(RelayTestSupport.events(topic, 200, 20));
    committed.add(withHeaders);
    List<OutboxEvent> rolledBack = RelayTestSupport.events(topic, 50, 5);
    long retriesBefore = retries(harness.relay());

    rollBack(harness.postgres(), rolledBack);
    commit(harness.postgres(), committed);

    await().atMost(Duration.ofSeconds(30)).until(() -> pending(harness.postgres()) == 0);
    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(harness.bootstrapServers(), topic);

    Map<UUID, ConsumerRecord<byte[], byte[]>> byId =
        records.stream()
            .collect(Collectors.toMap(RelayTestSupport::eventId, Function.identity(), (a, b) -> b));
    assertThat(byId.keySet()).isEqualTo(RelayTestSupport.ids(committed));
    if (retries(harness.relay()) == retriesBefore) {
      assertThat(records).as("nothing went again, so nothing arrived twice").hasSize(byId.size());
    }
    for (OutboxEvent event : committed) {
      ConsumerRecord<byte[], byte[]> record = byId.get(event.id());
      assertThat(record.topic()).isEqualTo(topic);
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.aggregateId());
      assertThat(record.value()).isEqualTo(event.payload());
      assertThat(header(record, "type")).isEqualTo("OrderPlaced");
      assertThat(header(record, "aggregatetype")).isEqualTo("order");
    }
    ConsumerRecord<byte[], byte[]> traced = byId.get(withHeaders.id());
    assertThat(header(traced, "traceparent"))
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(header(traced, "tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    assertThat(header(traced, "tenant")).isEqualTo("zoë");
  }

  /**
   * Write order per key, exactly, when nothing went again; otherwise (see {@link
   * FaultTestSupport#retries}) the documented guarantee: each event's last copy in write order.
   */
  @Test
  void eventsOfOneAggregateArriveInTheOrderTheyWereWritten() throws Exception {
    String topic = harness.createTopic("ordered", 4);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 600, 6);
    long retriesBefore = retries(harness.relay());
    for (int i = 0; i < events.size(); i += 50) {
      commit(harness.postgres(), events.subList(i, i + 50));
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> pending(harness.postgres()) == 0);
    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(harness.bootstrapServers(), topic);

    assertEveryEventArrivedInKeyOrder(records, events);
    if (retries(harness.relay()) == retriesBefore) {
      assertThat(idsByKey(records)).as("nothing went again").isEqualTo(writtenByKey(events));
    }
  }

  @Test
  void publishedRowsAreMarkedAndCountedInTheMetrics() throws Exception {
    String topic = harness.createTopic("marked", 1);
    long before =
        harness.relay().getEnvironment().metrics().meter("outbox.relay.published").getCount();
    commit(harness.postgres(), RelayTestSupport.events(topic, 25, 5));

    await().atMost(Duration.ofSeconds(30)).until(() -> pending(harness.postgres()) == 0);

    assertThat(
            harness
                .postgres()
                .queryForLong(
                    "SELECT count(*) FROM "
                        + RelayTestSupport.PUBLISHED
                        + " AND topic = ? AND attempts = 0",
                    topic))
        .isEqualTo(25);
    assertThat(
            harness.relay().getEnvironment().metrics().meter("outbox.relay.published").getCount())
        .isGreaterThanOrEqualTo(before + 25);
    assertThat(eventIds(harness.consume(topic, 25, Duration.ofSeconds(10)))).hasSize(25);
  }

  @Test
  void healthChecksAndBacklogGaugesAreServedOnTheAdminPort() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> health = get("/healthcheck");
              assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
              assertThat(health.body())
                  .contains("\"database\":{\"healthy\":true")
                  .contains("\"kafka\":{\"healthy\":true")
                  .contains("\"outbox-lag\":{\"healthy\":true");
            });
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.body())
        .contains("\"outbox.backlog\"")
        .contains("\"outbox.oldest-unpublished-age-ms\"")
        .contains("\"outbox.parked\"")
        .contains("\"outbox.relay.published\"")
        .contains("\"outbox.relay.publish-latency\"");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + harness.relay().getAdminPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
