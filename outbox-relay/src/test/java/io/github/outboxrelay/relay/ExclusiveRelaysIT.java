package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.assertEveryEventArrivedInKeyOrder;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.duplicates;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.idsByKey;
import static io.github.outboxrelay.relay.FaultTestSupport.meter;
import static io.github.outboxrelay.relay.FaultTestSupport.retries;
import static io.github.outboxrelay.relay.FaultTestSupport.terminateLeaseHolder;
import static io.github.outboxrelay.relay.FaultTestSupport.writtenByKey;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code outbox.exclusive: true} (the default), two relays on one outbox never claim at the
 * same time: one publishes, the other stands by, and each key's events arrive in write order. When
 * the active relay loses its lease (its lease connection is terminated), a relay takes over and
 * nothing is lost or put out of order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExclusiveRelaysIT {

  private static final String PUBLISHED = "outbox.relay.published";
  private static final int KEYS = 40;

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(exclusive("dw.", "relay-a"))
          .withSecondRelay(exclusive("second.", "relay-b"));

  private static ConfigOverride[] exclusive(String prefix, String name) {
    return new ConfigOverride[] {
      ConfigOverride.config(prefix, "outbox.exclusive", "true"),
      ConfigOverride.config(prefix, "outbox.instanceName", name),
      ConfigOverride.config(prefix, "outbox.leaseCheckInterval", "100ms"),
      ConfigOverride.config(prefix, "outbox.batchSize", "100")
    };
  }

  @Test
  @Order(1)
  void oneRelayPublishesEverythingInKeyOrderWhileTheOtherStandsBy() throws Exception {
    String topic = harness.createTopic("exclusive", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 4_000, KEYS);
    long retriesBefore = retries(harness.relay(), harness.secondRelay());
    for (int i = 0; i < events.size(); i += 100) {
      RelayTestSupport.commit(harness.postgres(), events.subList(i, i + 100));
    }

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(harness.bootstrapServers(), topic);
    assertEveryEventArrivedInKeyOrder(records, events);
    if (retries(harness.relay(), harness.secondRelay()) == retriesBefore) {
      assertThat(duplicates(eventIds(records))).isEmpty();
      assertThat(idsByKey(records)).isEqualTo(writtenByKey(events));
    }
    long byFirst = meter(harness.relay(), PUBLISHED);
    long bySecond = meter(harness.secondRelay(), PUBLISHED);
    assertThat(byFirst + bySecond).isEqualTo(events.size());
    assertThat(Math.min(byFirst, bySecond)).as("published by the standby").isZero();
    assertThat(activeRelays()).isEqualTo(1);

    String holder = byFirst > 0 ? "relay-a" : "relay-b";
    String standby = byFirst > 0 ? "relay-b" : "relay-a";
    for (DropwizardAppExtension<RelayConfiguration> relay :
        List.of(harness.relay(), harness.secondRelay())) {
      JsonNode state = state(relay);
      assertThat(state.get("lease").get("holder").asText()).isEqualTo(holder);
      assertThat(state.get("lease").get("standbys").get(0).asText()).isEqualTo(standby);
      assertThat(state.get("lease").get("standbys")).hasSize(1);
    }
    JsonNode holderState = state(byFirst > 0 ? harness.relay() : harness.secondRelay());
    assertThat(holderState.get("relay").asText()).isEqualTo(holder);
    assertThat(holderState.get("claiming").asBoolean()).isTrue();
    assertThat(holderState.get("published").get("total").asLong())
        .isEqualTo(Math.max(byFirst, bySecond));
    assertThat(holderState.get("paused")).isEmpty();
  }

  /** GET /api/state on a relay's admin port. */
  private static JsonNode state(DropwizardAppExtension<RelayConfiguration> relay) throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + relay.getAdminPort() + "/api/state"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return relay.getObjectMapper().readTree(response.body());
  }

  @Test
  @Order(2)
  void whenTheActiveRelayLosesItsLeaseARelayTakesOverWithoutLossOrReordering() throws Exception {
    String topic = harness.createTopic("takeover", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 6_000, KEYS);
    for (int i = 0; i < events.size(); i += 100) {
      RelayTestSupport.commit(harness.postgres(), events.subList(i, i + 100));
      if (i == 2_000) {
        terminateLeaseHolder(
            harness.postgres()); // mid-stream, with batches of the holder in flight
      }
    }

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(harness.bootstrapServers(), topic);
    assertEveryEventArrivedInKeyOrder(records, events);
    await().atMost(CATCH_UP).until(() -> activeRelays() == 1); // the lease is held again
  }

  private static long activeRelays() {
    return activeGauge(harness.relay()) + activeGauge(harness.secondRelay());
  }

  private static long activeGauge(DropwizardAppExtension<RelayConfiguration> relay) {
    return ((Number)
            relay.getEnvironment().metrics().getGauges().get("outbox.relay.active").getValue())
        .longValue();
  }
}
