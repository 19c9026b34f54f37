package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.meter;
import static io.github.outboxrelay.relay.FaultTestSupport.parkedOrAttempted;
import static io.github.outboxrelay.relay.FaultTestSupport.publishedCount;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.relay.FaultTestSupport.ContinuousWriter;
import io.github.outboxrelay.testing.kafka.LocalKafkaBroker;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka goes away while events are being written and comes back: every event committed before,
 * during and after the outage arrives, and the outage parks nothing.
 */
class KafkaOutageIT {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaOutageIT.class);
  private static final String ROLLED_BACK = "outbox.relay.batches.rolled-back";

  // A batch sent into the outage fails only after delivery.timeout.ms (10 s in relay-test.yml);
  // 3 s lets the relay notice the outage, and roll back, within an outage of a few seconds.
  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onDedicatedKafka(
          ConfigOverride.config("kafka.producer.delivery.timeout.ms", "3000"),
          ConfigOverride.config("kafka.producer.request.timeout.ms", "1000"),
          ConfigOverride.config("kafka.producer.max.block.ms", "1000"));

  @AfterEach
  void leaveTheBrokerRunning() {
    if (!harness.dedicatedBroker().isRunning()) {
      harness.dedicatedBroker().restart();
    }
  }

  @Test
  void eventsCommittedWhileTheBrokerIsStoppedArriveAfterItRestarts() throws Exception {
    survivesOutage("stopped", LocalKafkaBroker::stop);
  }

  @Test
  void eventsCommittedWhileTheBrokerIsKilledArriveAfterItRestarts() throws Exception {
    survivesOutage("killed", LocalKafkaBroker::kill);
  }

  private static void survivesOutage(String name, Fault fault) throws Exception {
    LocalKafkaBroker broker = harness.dedicatedBroker();
    String topic = harness.createTopic(name, 3);
    Set<UUID> committed;
    long rolledBackBefore;
    try (ContinuousWriter writer = ContinuousWriter.start(harness.postgres(), topic)) {
      await().atMost(CATCH_UP).until(() -> publishedCount(harness.postgres(), topic) >= 100);

      rolledBackBefore = meter(harness.relay(), ROLLED_BACK);
      fault.apply(broker);
      int committedAtOutage = writer.committedCount();
      await().atMost(CATCH_UP).until(() -> meter(harness.relay(), ROLLED_BACK) > rolledBackBefore);
      await().atMost(CATCH_UP).until(() -> writer.committedCount() > committedAtOutage);
      broker.restart();

      long publishedAtRestart = publishedCount(harness.postgres(), topic);
      await()
          .atMost(CATCH_UP)
          .until(() -> publishedCount(harness.postgres(), topic) > publishedAtRestart);
      committed = writer.stop();
    }
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    List<UUID> received = eventIds(consumeAll(broker.bootstrapServers(), topic));
    assertThat(new HashSet<>(received)).isEqualTo(committed);
    assertThat(parkedOrAttempted(harness.postgres(), topic)).isZero();
    assertThat(meter(harness.relay(), ROLLED_BACK)).isGreaterThan(rolledBackBefore);
    LOG.info(
        "Broker {}: {} events, {} records, {} batches rolled back",
        name,
        committed.size(),
        received.size(),
        meter(harness.relay(), ROLLED_BACK) - rolledBackBefore);
  }

  @FunctionalInterface
  private interface Fault {
    void apply(LocalKafkaBroker broker) throws Exception;
  }
}
