package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.RelayTestSupport.commit;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code listenNotify} on, a commit wakes the idle relay at once. The poll interval here is a
 * minute, so events that arrive within the consume timeout were fetched because of the NOTIFY.
 */
class ListenNotifyIT {

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension(RelayTestSupport::migrateOutbox);

  @Order(2)
  @RegisterExtension
  static final KafkaExtension kafka = new KafkaExtension();

  @Order(3)
  @RegisterExtension
  static final DropwizardAppExtension<RelayConfiguration> relay =
      RelayTestSupport.relay(
          postgres,
          kafka::bootstrapServers,
          ConfigOverride.config("outbox.listenNotify", "true"),
          ConfigOverride.config("outbox.pollInterval", "1m"));

  @Test
  void committedEventsWakeTheIdleRelay() throws Exception {
    String topic = kafka.createTopic("notified", 1);
    for (int round = 0; round < 3; round++) {
      List<OutboxEvent> events = RelayTestSupport.events(topic, 5, 5);
      commit(postgres, events);

      assertThat(kafka.consume(topic, 5 * (round + 1), Duration.ofSeconds(20)))
          .as("round %d", round)
          .hasSize(5 * (round + 1));
    }
  }
}
