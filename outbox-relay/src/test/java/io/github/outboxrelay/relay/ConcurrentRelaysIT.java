package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.duplicates;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.meter;
import static io.github.outboxrelay.relay.FaultTestSupport.retries;
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
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two relays on one outbox with {@code exclusive: false} share the work without sending anything
 * twice: {@code SKIP LOCKED} hands them disjoint batches, and a row one relay marked published is
 * never claimed again. (With the default, {@code exclusive: true}, see {@link ExclusiveRelaysIT}.)
 */
class ConcurrentRelaysIT {

  private static final Logger LOG = LoggerFactory.getLogger(ConcurrentRelaysIT.class);
  private static final int EVENTS = 20_000;
  private static final String PUBLISHED = "outbox.relay.published";

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension(RelayTestSupport::migrateOutbox);

  @Order(2)
  @RegisterExtension
  static final KafkaExtension kafka = new KafkaExtension();

  @Order(3)
  @RegisterExtension
  static final DropwizardAppExtension<RelayConfiguration> first =
      RelayTestSupport.relay(
          postgres, kafka::bootstrapServers, ConfigOverride.config("outbox.exclusive", "false"));

  @Order(4)
  @RegisterExtension
  static final DropwizardAppExtension<RelayConfiguration> second =
      RelayTestSupport.relay(
          "second.",
          postgres,
          kafka::bootstrapServers,
          ConfigOverride.config("second.", "outbox.exclusive", "false"));

  @Test
  void twoRelaysDeliverEveryEventExactlyOnceAndBothDoPartOfTheWork() throws Exception {
    String topic = kafka.createTopic("concurrent", 6);
    List<OutboxEvent> events = RelayTestSupport.events(topic, EVENTS, 1_000);
    long retriesBefore = retries(first, second);
    for (int i = 0; i < EVENTS; i += 1_000) {
      RelayTestSupport.commit(postgres, events.subList(i, i + 1_000));
    }

    await().atMost(CATCH_UP).until(() -> pending(postgres) == 0);

    List<UUID> received = eventIds(consumeAll(kafka.bootstrapServers(), topic));
    if (retries(first, second) == retriesBefore) {
      assertThat(duplicates(received)).as("events delivered more than once").isEmpty();
    }
    assertThat(new HashSet<>(received)).isEqualTo(RelayTestSupport.ids(events));
    long byFirst = meter(first, PUBLISHED);
    long bySecond = meter(second, PUBLISHED);
    assertThat(byFirst).as("published by the first relay").isPositive();
    assertThat(bySecond).as("published by the second relay").isPositive();
    assertThat(byFirst + bySecond).isEqualTo(EVENTS);
    LOG.info("Published by the first relay: {}, by the second: {}", byFirst, bySecond);
  }
}
