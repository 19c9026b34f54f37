package io.github.outboxrelay.relay.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.relay.core.WorkSignal;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import io.github.outboxrelay.relay.kafka.ManualProducer;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When Kafka fails one record of a batch while acknowledging the later records of the same key
 * (sent in the same batch, or in the batch claimed behind it), the relay must not mark the later
 * ones: the failed record is retried after them, and a consumer would see the key's events out of
 * order for good. Real PostgreSQL and the production loop; the producer is scripted, because a real
 * broker cannot be made to fail exactly one record.
 */
class RetryKeepsKeyOrderIT {

  private static final int BATCH_SIZE = 2;

  @RegisterExtension static final PostgresExtension postgres = LoopTestSupport.migratedOutbox();

  private final ManualProducer producer = new ManualProducer();
  private HikariDataSource dataSource;
  private OutboxRelay relay;

  @BeforeEach
  void startRelay() throws Exception {
    postgres.execute("TRUNCATE outbox");
    dataSource = LoopTestSupport.pool(postgres);
    RelaySettings settings =
        new RelaySettings(
            BATCH_SIZE,
            2,
            Duration.ofMillis(20),
            Duration.ofMillis(5),
            5,
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            Duration.ofSeconds(5),
            PublishedRows.MARK);
    relay =
        new OutboxRelay(
            dataSource,
            new OutboxRepository("outbox", PublishedRows.MARK),
            new FrontierQueries("outbox", new ObjectMapper()),
            new KafkaPublisher(producer, Duration.ofSeconds(30)),
            settings,
            new RelayMetrics(
                new MetricRegistry(),
                new io.prometheus.metrics.model.registry.PrometheusRegistry()),
            new RelayStatus(),
            new WorkSignal());
  }

  @AfterEach
  void stopRelay() throws Exception {
    producer.completeAll();
    relay.stop();
    dataSource.close();
  }

  @Test
  void aRecordThatFailsIsSentAgainBeforeTheLaterEventsOfItsKeyAreMarked() throws Exception {
    List<OutboxEvent> events = write(3); // one key: batch A = events 0 and 1, batch B = event 2
    relay.start();
    await().until(() -> producer.history().size() == 3); // both batches in flight

    producer.errorNext(new TimeoutException("expired")); // event 0
    producer.completeAll(); // events 1 and 2 acknowledged
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              producer.completeAll(); // the retries
              assertThat(pending()).isZero();
            });

    assertThat(lastCopiesInTopicOrder()).containsExactlyElementsOf(ids(events));
  }

  @Test
  void theAcknowledgedEventsOfOtherKeysAreMarkedAndNotSentAgain() throws Exception {
    OutboxEvent failing = write("order-1", 1).get(0); // one batch: the failing event and another
    OutboxEvent other = write("order-2", 1).get(0);
    relay.start();
    await().until(() -> producer.history().size() == 2);

    producer.errorNext(new TimeoutException("expired"));
    producer.completeAll();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              producer.completeAll();
              assertThat(pending()).isZero();
            });

    assertThat(sentIds()).containsExactly(failing.id(), other.id(), failing.id());
  }

  @Test
  void aRecordRefusedForGoodHoldsItsKeyUntilItIsParkedAndThenHoldsItForGood() throws Exception {
    List<OutboxEvent> events = write(2); // one key, one batch, with another key's event
    OutboxEvent other = write("order-2", 1).get(0);
    relay.start();
    await().until(() -> producer.history().size() == 3);

    producer.errorNext(new RecordTooLargeException("larger than allowed"));
    producer.completeAll();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              while (producer.errorNext(new RecordTooLargeException("larger than allowed"))) {
                // every retry of the refused record is refused again, until it is parked
              }
              producer.completeAll();
              assertThat(
                      postgres.queryForLong(
                          "SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL AND attempts = 5"
                              + " AND held_by IS NULL"))
                  .isEqualTo(1);
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              producer.completeAll(); // the other key's batch, sent again behind each retry
              assertThat(
                      postgres.queryForLong(
                          "SELECT count(*) FROM outbox h JOIN outbox p ON h.held_by = p.seq"
                              + " WHERE p.attempts = 5 AND h.id = '"
                              + events.get(1).id()
                              + "'"))
                  .as("the key's later event waits behind the parked one")
                  .isEqualTo(1);
              assertThat(
                      postgres.queryForLong(
                          "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"))
                  .as("only the other key's event")
                  .isEqualTo(1);
            });
    // Each refusal discarded the producer (nothing behind the refused record may overtake it), so
    // the other key's batch, sent behind it, went again with every retry.
    assertThat(sentIds()).contains(other.id());
  }

  private List<OutboxEvent> write(int count) throws Exception {
    return write("order-1", count);
  }

  private List<OutboxEvent> write(String key, int count) throws Exception {
    return LoopTestSupport.write(dataSource, key, count);
  }

  private long pending() throws Exception {
    return postgres.queryForLong("SELECT count(*) FROM outbox WHERE published_at IS NULL");
  }

  /** Event ids in the order of each one's last copy in the topic: what a consumer ends with. */
  private List<UUID> lastCopiesInTopicOrder() {
    List<UUID> order = new ArrayList<>();
    for (UUID id : sentIds()) {
      order.remove(id);
      order.add(id);
    }
    return order;
  }

  private List<UUID> sentIds() {
    List<UUID> ids = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : producer.history()) {
      ids.add(
          UUID.fromString(
              new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8)));
    }
    return ids;
  }

  private static List<UUID> ids(List<OutboxEvent> events) {
    return events.stream().map(OutboxEvent::id).toList();
  }
}
