package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.RelayTestSupport.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Published history is deleted once old enough; unpublished and parked rows never are. */
class RetentionIT {

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
          ConfigOverride.config("outbox.retention.publishedAge", "1s"),
          ConfigOverride.config("outbox.retention.interval", "1s"),
          ConfigOverride.config("outbox.retention.batchSize", "7"));

  @Test
  void deletesOldPublishedRowsInBatchesAndKeepsParkedOnes() throws Exception {
    // A parked row, as an earlier poison event would have left it.
    postgres.execute(
        "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, attempts,"
            + " last_error, parked_at) VALUES (gen_random_uuid(), 'order', 'o-1', 'OrderPlaced',"
            + " 'nowhere', '\\x00', 5, 'RecordTooLargeException', now() - interval '1 day')");
    String topic = kafka.createTopic("retained", 1);
    commit(postgres, RelayTestSupport.events(topic, 30, 3));

    assertThat(kafka.consume(topic, 30, Duration.ofSeconds(20))).hasSize(30);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> postgres.queryForLong("SELECT count(*) FROM outbox WHERE topic = ?", topic) == 0);
    assertThat(postgres.queryForLong("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL"))
        .isEqualTo(1);
  }
}
