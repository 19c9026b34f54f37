package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.RelayTestSupport.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Published history is deleted once old enough; unpublished and parked rows never are. */
class RetentionIT {

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(
          ConfigOverride.config("outbox.retention.publishedAge", "1s"),
          ConfigOverride.config("outbox.retention.interval", "1s"),
          ConfigOverride.config("outbox.retention.batchSize", "7"));

  @Test
  void deletesOldPublishedRowsInBatchesAndKeepsParkedOnes() throws Exception {
    // A parked row, as an earlier poison event would have left it.
    harness
        .postgres()
        .execute(
            "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, attempts,"
                + " last_error, parked_at) VALUES (gen_random_uuid(), 'order', 'o-1', 'OrderPlaced',"
                + " 'nowhere', '\\x00', 5, 'RecordTooLargeException', now() - interval '1 day')");
    String topic = harness.createTopic("retained", 1);
    commit(harness.postgres(), RelayTestSupport.events(topic, 30, 3));

    assertThat(harness.consume(topic, 30, Duration.ofSeconds(20))).hasSize(30);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness
                        .postgres()
                        .queryForLong("SELECT count(*) FROM outbox WHERE topic = ?", topic)
                    == 0);
    assertThat(
            harness
                .postgres()
                .queryForLong("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL"))
        .isEqualTo(1);
  }
}
