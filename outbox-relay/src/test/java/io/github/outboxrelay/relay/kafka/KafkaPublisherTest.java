package io.github.outboxrelay.relay.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.DeliveryFailure.Kind;
import io.github.outboxrelay.relay.core.HeldRow;
import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.relay.core.OrderingKey;
import io.github.outboxrelay.relay.core.OutboxRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** How the publisher turns Kafka's answers into what the loop marks, records or rolls back. */
class KafkaPublisherTest {

  private final ManualProducer producer = new ManualProducer();
  private final KafkaPublisher publisher = new KafkaPublisher(producer, Duration.ofSeconds(10));

  private static OutboxRow row(long seq, String defect) {
    return row(seq, "order-" + seq, defect);
  }

  private static OutboxRow row(long seq, String key, String defect) {
    return new OutboxRow(
        seq,
        UUID.randomUUID(),
        "order",
        key,
        "OrderPlaced",
        "orders",
        ("{\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8),
        Map.of("traceparent", "abc"),
        0,
        defect);
  }

  private CompletableFuture<BatchOutcome> publishInBackground(List<OutboxRow> rows) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return publisher.send(rows).await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void acknowledgedRowsAreReportedAndFailuresClassified() throws Exception {
    List<OutboxRow> rows = List.of(row(1, null), row(2, null), row(3, null), row(4, null));
    CompletableFuture<BatchOutcome> result = publishInBackground(rows);
    await().until(() -> producer.history().size() == 4);

    producer.completeNext();
    producer.errorNext(new RecordTooLargeException("too large"));
    producer.errorNext(new TimeoutException("expired"));
    producer.completeNext();
    BatchOutcome outcome = result.get();

    assertThat(outcome.acknowledged()).containsExactly(1, 4);
    assertThat(outcome.failures())
        .containsExactly(
            new DeliveryFailure(2, Kind.PERMANENT, "RecordTooLargeException: too large"),
            new DeliveryFailure(3, Kind.TRANSIENT, "TimeoutException: expired"));
    assertThat(outcome.kafkaUnavailable()).isFalse();
    assertThat(outcome.anyFailed()).as("rows 2 and 3 go again or are parked").isTrue();
  }

  @Test
  void laterEventsOfAKeyWhoseEventFailedAreHeldBackAndOtherKeysAreMarked() throws Exception {
    CompletableFuture<BatchOutcome> result =
        publishInBackground(List.of(row(1, "a", null), row(2, "b", null), row(3, "a", null)));
    await().until(() -> producer.history().size() == 3);

    producer.errorNext(new TimeoutException("expired"));
    producer.completeAll();
    BatchOutcome outcome = result.get();

    assertThat(outcome.acknowledged()).containsExactly(2);
    assertThat(outcome.acknowledgedNotMarked()).isEqualTo(1);
    assertThat(outcome.failures()).extracting(DeliveryFailure::seq).containsExactly(1L);
    assertThat(outcome.anyFailed()).isTrue();
  }

  @Test
  void aFailureInTheProducerDiscardsItSoThatNothingBehindTheFailedRecordIsSent() throws Exception {
    List<ManualProducer> made = new ArrayList<>();
    KafkaPublisher discarding =
        new KafkaPublisher(
            () -> {
              ManualProducer fresh = new ManualProducer();
              made.add(fresh);
              return fresh;
            },
            Duration.ofSeconds(10),
            TopicCheck.NONE);
    KafkaPublisher.PendingBatch first = discarding.send(List.of(row(1, "a", null)));
    made.get(0).errorNext(new TimeoutException("expired"));

    assertThat(made.get(0).closes()).as("closed at once, from the failing callback").isOne();
    assertThat(discarding.producerDiscarded()).isTrue();
    BatchOutcome behind = discarding.send(List.of(row(2, "b", null))).await();
    assertThat(behind.heldBack()).as("not sent with a discarded producer").isEqualTo(1);
    assertThat(first.await().anyFailed()).isTrue();

    discarding.startOver();
    KafkaPublisher.PendingBatch again = discarding.send(List.of(row(1, "a", null)));
    assertThat(made).hasSize(2);
    assertThat(made.get(1).history()).hasSize(1);
    made.get(1).completeNext();
    assertThat(again.await().acknowledged()).containsExactly(1);
    discarding.close();
  }

  @Test
  void aTopicWithoutMetadataBlocksOnceAndHoldsItsKeysUntilThePipelineStartsOver() throws Exception {
    AtomicInteger blockingSends = new AtomicInteger();
    producer.throwOnSend(
        record -> blockingSends.incrementAndGet() > 0,
        new TimeoutException("Topic orders not present in metadata after 5000 ms."));
    BatchOutcome first = publisher.send(List.of(row(1, "a", null), row(2, "b", null))).await();
    BatchOutcome second = publisher.send(List.of(row(3, "a", null), row(4, "c", null))).await();

    assertThat(blockingSends).as("one send waited for metadata").hasValue(1);
    assertThat(first.failures()).extracting(DeliveryFailure::seq).containsExactly(1L, 2L);
    assertThat(second.heldBack()).as("key a waits for row 1").isEqualTo(1);
    assertThat(second.failures()).extracting(DeliveryFailure::seq).containsExactly(4L);

    producer.throwOnSend(record -> false, null);
    publisher.startOver();
    publisher.send(List.of(row(1, "a", null), row(3, "a", null)));
    assertThat(producer.history()).hasSize(2);
  }

  @Test
  void aFailureReportedInsideSendHoldsTheKeyWithoutDiscardingTheProducer() throws Exception {
    producer.failInSend(
        record -> record.topic().equals("orders"),
        new TimeoutException("Topic orders not present in metadata after 5000 ms."));
    BatchOutcome outcome = publisher.send(List.of(row(1, "a", null), row(2, "b", null))).await();

    assertThat(outcome.failures())
        .extracting(DeliveryFailure::error)
        .allSatisfy(error -> assertThat(error).contains("no metadata for topic orders"));
    assertThat(publisher.producerDiscarded()).isFalse();
    assertThat(producer.closes()).isZero();
    assertThat(publisher.send(List.of(row(3, "a", null))).await().heldBack()).isOne();
  }

  @Test
  void aRecordRefusedForGoodHoldsItsKeyAndDiscardsTheProducerWhileOtherKeysAreMarked()
      throws Exception {
    CompletableFuture<BatchOutcome> result =
        publishInBackground(List.of(row(1, "a", null), row(2, "b", null), row(3, "a", null)));
    await().until(() -> producer.history().size() == 3);

    producer.errorNext(new RecordTooLargeException("too large"));
    producer.completeAll();
    BatchOutcome outcome = result.get();

    assertThat(outcome.acknowledged()).as("key b only").containsExactly(2);
    assertThat(outcome.acknowledgedNotMarked()).as("row 3 of key a follows row 1").isOne();
    assertThat(outcome.failures())
        .extracting(DeliveryFailure::kind)
        .containsExactly(Kind.PERMANENT);
    assertThat(producer.closes()).as("nothing behind row 1 may overtake it").isOne();
    assertThat(publisher.send(List.of(row(4, "a", null))).await().heldBack()).isOne();
  }

  @Test
  void rowsOfKeysThatParkedEventsHoldAreHeldNotSent() throws Exception {
    Holds held = new Holds(Map.of(new OrderingKey("orders", "a"), 2L), java.util.Set.of());
    CompletableFuture<BatchOutcome> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return publisher
                    .send(
                        List.of(
                            row(1, "a", null), // written before the parked row 2: goes
                            row(3, "a", null),
                            row(4, "b", null),
                            row(5, "a", null)),
                        held)
                    .await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().until(() -> producer.history().size() == 2);

    producer.completeAll();
    BatchOutcome outcome = result.get();

    assertThat(outcome.acknowledged()).containsExactly(1, 4);
    assertThat(outcome.held())
        .containsExactly(new HeldRow(3, 2, "orders"), new HeldRow(5, 2, "orders"));
    assertThat(outcome.anyFailed()).isFalse();
  }

  @Test
  void anUnknownTopicIsMissingWhenKafkaAcknowledgedOtherRows() throws Exception {
    CompletableFuture<BatchOutcome> result =
        publishInBackground(List.of(row(1, null), row(2, null)));
    await().until(() -> producer.history().size() == 2);

    producer.completeNext();
    producer.errorNext(new UnknownTopicOrPartitionException("no such topic"));
    BatchOutcome outcome = result.get();

    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.kind()).isEqualTo(Kind.MISSING_TOPIC);
              assertThat(failure.countsTowardParking()).isTrue();
            });
    assertThat(outcome.anyFailed()).isTrue();
  }

  @Test
  void anUnknownTopicIsOnlyTransientWhenKafkaAcknowledgedNothing() throws Exception {
    CompletableFuture<BatchOutcome> result = publishInBackground(List.of(row(1, null)));
    await().until(() -> producer.history().size() == 1);

    producer.errorNext(new UnknownTopicOrPartitionException("no such topic"));
    BatchOutcome outcome = result.get();

    assertThat(outcome.failures())
        .singleElement()
        .extracting(DeliveryFailure::kind)
        .isEqualTo(Kind.TRANSIENT);
    assertThat(outcome.kafkaUnavailable()).isTrue();
  }

  @Test
  void aBatchWithOnlyTransientFailuresMeansKafkaIsAway() throws Exception {
    CompletableFuture<BatchOutcome> result =
        publishInBackground(List.of(row(1, null), row(2, null)));
    await().until(() -> producer.history().size() == 2);

    producer.errorNext(new TimeoutException("expired"));
    producer.errorNext(new TimeoutException("expired"));

    assertThat(result.get().kafkaUnavailable()).isTrue();
    assertThat(result.get().acknowledged()).isEmpty();
  }

  @Test
  void aMalformedRowFailsAloneWithoutBeingSentAndIsParkedAtOnce() throws Exception {
    CompletableFuture<BatchOutcome> result =
        publishInBackground(
            List.of(row(1, "headers are not a JSON object of strings"), row(2, null)));
    await().until(() -> producer.history().size() == 1);

    producer.completeNext();
    BatchOutcome outcome = result.get();

    assertThat(outcome.acknowledged()).containsExactly(2);
    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.seq()).isEqualTo(1);
              assertThat(failure.kind()).isEqualTo(Kind.MALFORMED);
              assertThat(failure.permanent()).isTrue();
              assertThat(failure.attemptsBeforeParking(5)).isEqualTo(1);
              assertThat(failure.error()).contains("headers are not a JSON object of strings");
            });
  }

  @Test
  void unexpectedExceptionsFromTheProducerCountAgainstTheirRecordOnly() throws Exception {
    producer.throwOnSend(
        record -> new String(record.key(), StandardCharsets.UTF_8).equals("order-2"),
        new NullPointerException("utf8"));
    CompletableFuture<BatchOutcome> result =
        publishInBackground(List.of(row(1, null), row(2, null), row(3, null)));
    await().until(() -> producer.history().size() == 2);

    producer.completeAll();
    BatchOutcome outcome = result.get();

    assertThat(outcome.acknowledged()).containsExactly(1, 3);
    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.seq()).isEqualTo(2);
              assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
              assertThat(failure.error()).contains("NullPointerException: utf8");
            });
    assertThat(publisher.send(List.of(row(4, "order-2", null))).await().heldBack())
        .as("its key waits until it goes again or is parked")
        .isOne();
  }
}
