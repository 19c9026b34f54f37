package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.writer.OutboxEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An event for a topic that does not exist (the test broker does not create topics on demand) is
 * parked after {@code maxAttempts} while the events for existing topics, written in the same
 * transaction, are delivered: a missing topic does not hold the relay back for ever.
 */
class MissingTopicIT {

  private static final int MAX_ATTEMPTS = 2;

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(
          ConfigOverride.config("outbox.maxAttempts", String.valueOf(MAX_ATTEMPTS)));

  @Test
  void anEventForAMissingTopicIsParkedWhileTheOthersAreDelivered() throws Exception {
    String existing = harness.createTopic("existing", 3);
    String missing = "missing-" + UUID.randomUUID();
    List<OutboxEvent> delivered = RelayTestSupport.events(existing, 20, 5);
    OutboxEvent stranded = RelayTestSupport.event(missing, "order-1", "{\"n\":1}");
    List<OutboxEvent> written = new ArrayList<>(delivered.subList(0, 10));
    written.add(stranded);
    written.addAll(delivered.subList(10, 20));
    RelayTestSupport.commit(harness.postgres(), written);

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    assertThat(new HashSet<>(eventIds(consumeAll(harness.bootstrapServers(), existing))))
        .isEqualTo(RelayTestSupport.ids(delivered));
    assertThat(
            harness
                .postgres()
                .queryForLong(
                    "SELECT count(*) FROM outbox WHERE id = ? AND parked_at IS NOT NULL"
                        + " AND attempts = ? AND last_error LIKE ?",
                    stranded.id(),
                    MAX_ATTEMPTS,
                    "%no metadata for topic " + missing + "%"))
        .isEqualTo(1);
  }
}
