package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.RelayTestSupport.commit;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.writer.OutboxEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code listenNotify} on, a commit wakes the idle relay at once. The poll interval here is a
 * minute, so events that arrive within the consume timeout were fetched because of the NOTIFY.
 */
class ListenNotifyIT {

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(
          ConfigOverride.config("outbox.listenNotify", "true"),
          ConfigOverride.config("outbox.pollInterval", "1m"));

  @Test
  void committedEventsWakeTheIdleRelay() throws Exception {
    String topic = harness.createTopic("notified", 1);
    for (int round = 0; round < 3; round++) {
      List<OutboxEvent> events = RelayTestSupport.events(topic, 5, 5);
      commit(harness.postgres(), events);

      assertThat(harness.consume(topic, 5 * (round + 1), Duration.ofSeconds(20)))
          .as("round %d", round)
          .hasSize(5 * (round + 1));
    }
  }
}
