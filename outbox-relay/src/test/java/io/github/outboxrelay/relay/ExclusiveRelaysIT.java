package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.duplicates;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.idsByKey;
import static io.github.outboxrelay.relay.FaultTestSupport.lastCopiesByKey;
import static io.github.outboxrelay.relay.FaultTestSupport.meter;
import static io.github.outboxrelay.relay.FaultTestSupport.retries;
import static io.github.outboxrelay.relay.FaultTestSupport.writtenByKey;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import java.util.HashSet;
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

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension(RelayTestSupport::migrateOutbox);

  @Order(2)
  @RegisterExtension
  static final KafkaExtension kafka = new KafkaExtension();

  @Order(3)
  @RegisterExtension
  static final DropwizardAppExtension<RelayConfiguration> first =
      RelayTestSupport.relay(postgres, kafka::bootstrapServers, exclusive("dw."));

  @Order(4)
  @RegisterExtension
  static final DropwizardAppExtension<RelayConfiguration> second =
      RelayTestSupport.relay("second.", postgres, kafka::bootstrapServers, exclusive("second."));

  private static ConfigOverride[] exclusive(String prefix) {
    return new ConfigOverride[] {
      ConfigOverride.config(prefix, "outbox.exclusive", "true"),
      ConfigOverride.config(prefix, "outbox.leaseCheckInterval", "100ms"),
      ConfigOverride.config(prefix, "outbox.batchSize", "100")
    };
  }

  @Test
  @Order(1)
  void oneRelayPublishesEverythingInKeyOrderWhileTheOtherStandsBy() throws Exception {
    String topic = kafka.createTopic("exclusive", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 4_000, KEYS);
    long retriesBefore = retries(first, second);
    for (int i = 0; i < events.size(); i += 100) {
      RelayTestSupport.commit(postgres, events.subList(i, i + 100));
    }

    await().atMost(CATCH_UP).until(() -> pending(postgres) == 0);

    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(kafka.bootstrapServers(), topic);
    assertThat(new HashSet<>(eventIds(records))).isEqualTo(RelayTestSupport.ids(events));
    assertThat(lastCopiesByKey(records)).isEqualTo(writtenByKey(events));
    if (retries(first, second) == retriesBefore) {
      assertThat(duplicates(eventIds(records))).isEmpty();
      assertThat(idsByKey(records)).isEqualTo(writtenByKey(events));
    }
    long byFirst = meter(first, PUBLISHED);
    long bySecond = meter(second, PUBLISHED);
    assertThat(byFirst + bySecond).isEqualTo(events.size());
    assertThat(Math.min(byFirst, bySecond)).as("published by the standby").isZero();
    assertThat(activeGauge(first) + activeGauge(second)).isEqualTo(1);
  }

  @Test
  @Order(2)
  void whenTheActiveRelayLosesItsLeaseARelayTakesOverWithoutLossOrReordering() throws Exception {
    String topic = kafka.createTopic("takeover", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 6_000, KEYS);
    for (int i = 0; i < events.size(); i += 100) {
      RelayTestSupport.commit(postgres, events.subList(i, i + 100));
      if (i == 2_000) {
        terminateLeaseHolder(); // mid-stream, with batches of the holder in flight
      }
    }

    await().atMost(CATCH_UP).until(() -> pending(postgres) == 0);

    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(kafka.bootstrapServers(), topic);
    assertThat(new HashSet<>(eventIds(records))).isEqualTo(RelayTestSupport.ids(events));
    assertThat(lastCopiesByKey(records)).isEqualTo(writtenByKey(events));
    await()
        .atMost(CATCH_UP)
        .until(() -> activeGauge(first) + activeGauge(second) == 1); // the lease is held again
  }

  private static void terminateLeaseHolder() throws Exception {
    assertThat(
            postgres.queryForLong(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype ="
                    + " 'advisory' AND classid = 'outbox'::regclass::oid AND objid = 1"
                    + " AND objsubid = 2 AND granted"))
        .as("lease holders terminated")
        .isEqualTo(1);
  }

  private static long activeGauge(DropwizardAppExtension<RelayConfiguration> relay) {
    return ((Number)
            relay.getEnvironment().metrics().getGauges().get("outbox.relay.active").getValue())
        .longValue();
  }
}
