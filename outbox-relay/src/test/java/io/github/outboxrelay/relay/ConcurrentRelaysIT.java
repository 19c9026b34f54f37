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
import io.github.outboxrelay.writer.OutboxEvent;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
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

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(ConfigOverride.config("outbox.exclusive", "false"))
          .withSecondRelay(ConfigOverride.config("second.", "outbox.exclusive", "false"));

  @Test
  void twoRelaysDeliverEveryEventExactlyOnceAndBothDoPartOfTheWork() throws Exception {
    String topic = harness.createTopic("concurrent", 6);
    List<OutboxEvent> events = RelayTestSupport.events(topic, EVENTS, 1_000);
    long retriesBefore = retries(harness.relay(), harness.secondRelay());
    for (int i = 0; i < EVENTS; i += 1_000) {
      RelayTestSupport.commit(harness.postgres(), events.subList(i, i + 1_000));
    }

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    List<UUID> received = eventIds(consumeAll(harness.bootstrapServers(), topic));
    if (retries(harness.relay(), harness.secondRelay()) == retriesBefore) {
      assertThat(duplicates(received)).as("events delivered more than once").isEmpty();
    }
    assertThat(new HashSet<>(received)).isEqualTo(RelayTestSupport.ids(events));
    long byFirst = meter(harness.relay(), PUBLISHED);
    long bySecond = meter(harness.secondRelay(), PUBLISHED);
    assertThat(byFirst).as("published by the first relay").isPositive();
    assertThat(bySecond).as("published by the second relay").isPositive();
    assertThat(byFirst + bySecond).isEqualTo(EVENTS);
    LOG.info("Published by the first relay: {}, by the second: {}", byFirst, bySecond);
  }
}
