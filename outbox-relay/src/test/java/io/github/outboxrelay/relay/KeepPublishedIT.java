package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.assertEveryEventArrivedInKeyOrder;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.duplicates;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.terminateLeaseHolder;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.writer.OutboxEvent;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code outbox.published: keep}: nothing is written to a published row, the relay's stored
 * position alone says it is published. So a relay that takes over the lease must start from that
 * position: it publishes what was left, in key order, and never the history again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeepPublishedIT {

  private static final int KEYS = 20;

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(keep("dw.")).withSecondRelay(keep("second."));

  private static ConfigOverride[] keep(String prefix) {
    return new ConfigOverride[] {
      ConfigOverride.config(prefix, "outbox.published", "keep"),
      ConfigOverride.config(prefix, "outbox.leaseCheckInterval", "100ms"),
      ConfigOverride.config(prefix, "outbox.batchSize", "100")
    };
  }

  @Test
  @Order(1)
  void publishedRowsStayAsWrittenAndArriveInWriteOrderPerKey() throws Exception {
    String topic = harness.createTopic("kept", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 1_000, KEYS);
    RelayTestSupport.commit(harness.postgres(), events);

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    assertEveryEventArrivedInKeyOrder(consumeAll(harness.bootstrapServers(), topic), events);
    assertThat(
            harness
                .postgres()
                .queryForLong(
                    "SELECT count(*) FROM outbox WHERE topic = ? AND published_at IS NULL"
                        + " AND parked_at IS NULL AND attempts = 0",
                    topic))
        .as("rows kept as written")
        .isEqualTo(events.size());
  }

  @Test
  @Order(2)
  void aRelayThatTakesOverPublishesTheRestInOrderAndNotTheHistory() throws Exception {
    String history = harness.createTopic("history", 1);
    List<OutboxEvent> published = RelayTestSupport.events(history, 500, KEYS);
    RelayTestSupport.commit(harness.postgres(), published);
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    List<ConsumerRecord<byte[], byte[]>> historyBefore =
        consumeAll(harness.bootstrapServers(), history);

    String topic = harness.createTopic("takeover", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 4_000, KEYS);
    for (int i = 0; i < events.size(); i += 100) {
      RelayTestSupport.commit(harness.postgres(), events.subList(i, i + 100));
      if (i == 1_500) {
        terminateLeaseHolder(harness.postgres()); // mid-stream, with batches in flight
      }
    }

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(harness.bootstrapServers(), topic);
    assertEveryEventArrivedInKeyOrder(records, events);
    List<ConsumerRecord<byte[], byte[]>> historyAfter =
        consumeAll(harness.bootstrapServers(), history);
    assertThat(historyAfter).as("history published once, not again").hasSameSizeAs(historyBefore);
    assertThat(duplicates(eventIds(historyAfter))).isEmpty();
  }
}
