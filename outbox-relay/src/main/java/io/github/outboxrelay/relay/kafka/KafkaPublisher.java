package io.github.outboxrelay.relay.kafka;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.HeldRow;
import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.relay.core.OrderingKey;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.kafka.RecordBuilder.MalformedRowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends claimed batches to Kafka and collects, per batch, which records were acknowledged and which
 * failed. It touches no database: the loop decides what to mark (no JDBC on Kafka's threads).
 *
 * <p>It also keeps the first delivery of each key's events in write order when sends fail. Once an
 * event fails, whatever the reason, it goes again or is parked, so nothing later of its key may
 * reach Kafka before it does; until the pipeline {@linkplain #startOver() starts over}:
 *
 * <ul>
 *   <li>a send that fails at once (a malformed row, a record the producer refuses, no metadata
 *       within {@code max.block.ms}) holds its key: later events of that key are not sent, and
 *       later rows of a topic without metadata fail without blocking again;
 *   <li>a send that fails later, in the producer, discards the producer on the spot (closed without
 *       waiting, from Kafka's own thread): the idempotent producer would otherwise start a new
 *       epoch and deliver the records behind the failed one, overtaking it. Everything still in it
 *       fails and goes again; a new producer takes over when the pipeline starts over.
 * </ul>
 *
 * <p>Beyond the pipeline, the rows that {@link Holds} (read with each claim) holds back, behind a
 * parked event of their key or in a paused topic, are not sent at all: they are reported as held.
 */
public final class KafkaPublisher implements AutoCloseable {

  private final Supplier<Producer<byte[], byte[]>> producers;
  private final Duration ackTimeout;
  private final TopicCheck topicCheck;
  private final ExecutorService flusher;
  private final Set<OrderingKey> heldKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> unavailableTopics = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean discarded = new AtomicBoolean();
  private volatile Producer<byte[], byte[]> producer;

  /** A publisher on one given producer that never confirms a topic missing; for tests. */
  public KafkaPublisher(Producer<byte[], byte[]> producer, Duration ackTimeout) {
    this(() -> producer, ackTimeout, TopicCheck.NONE);
  }

  /**
   * @param producers makes the producer, and a new one after a failure discarded the last
   * @param ackTimeout how long to wait for the last acknowledgement after the last send; set it
   *     above the producer's {@code delivery.timeout.ms}, which bounds it anyway
   * @param topicCheck asked about topics without metadata when Kafka acknowledged nothing in a
   *     batch, to tell a missing topic from an unreachable cluster
   */
  public KafkaPublisher(
      Supplier<Producer<byte[], byte[]>> producers, Duration ackTimeout, TopicCheck topicCheck) {
    this.producers = producers;
    this.producer = producers.get();
    this.ackTimeout = ackTimeout;
    this.topicCheck = topicCheck;
    this.flusher =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "outbox-relay-flusher");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Sends a claimed batch without waiting for Kafka's answers, so that the caller can claim and
   * send the next batch meanwhile; {@link PendingBatch#await} collects the answers. Records are
   * handed to the producer in row order, so within a partition they keep claim order.
   */
  public PendingBatch send(List<OutboxRow> rows) {
    return send(rows, Holds.NONE);
  }

  /**
   * As {@link #send(List)}, but the rows that {@code holds} holds back (behind a parked event of
   * their key, or in a paused topic) are not sent: the outcome lists them as held.
   */
  public PendingBatch send(List<OutboxRow> rows, Holds holds) {
    PendingBatch batch = new PendingBatch(rows);
    for (int i = 0; i < rows.size(); i++) {
      OutboxRow row = rows.get(i);
      long holder = holds.holder(row);
      if (holder != Holds.FREE) {
        batch.held(i, holder);
        continue;
      }
      OrderingKey key = OrderingKey.of(row);
      if (discarded.get() || heldKeys.contains(key)) {
        batch.heldBack(i);
        continue;
      }
      ProducerRecord<byte[], byte[]> record;
      try {
        record = RecordBuilder.build(row);
      } catch (RuntimeException malformed) {
        // Whatever the row holds, it fails on its own: never the batch, never the other keys.
        heldKeys.add(key);
        batch.failed(i, asMalformed(malformed));
        continue;
      }
      if (unavailableTopics.contains(record.topic())) {
        heldKeys.add(key);
        batch.failed(i, new TopicUnavailableException(record.topic(), null));
      } else {
        send(batch, i, record, key);
      }
    }
    // Send now rather than after linger.ms, but without blocking the caller as flush() would.
    try {
      flusher.execute(this::flushQuietly);
    } catch (RejectedExecutionException closing) {
      // the publisher is closing; the batch's records fail or complete on their own
    }
    return batch;
  }

  /**
   * Forgets the keys held and the topics found unavailable, and replaces a discarded producer. The
   * pipeline calls it with nothing in flight, before it claims again: the rows that go again are
   * then claimed afresh, in write order.
   */
  public void startOver() {
    heldKeys.clear();
    unavailableTopics.clear();
    if (discarded.get()) {
      producer = producers.get();
      discarded.set(false);
    }
  }

  /**
   * Whether a failure discarded the producer since the pipeline last started over. Records sent
   * with it may have reached Kafka without an answer, so the batches behind the failed one go again
   * in full: a re-sent event is followed by its key's later events again.
   */
  public boolean producerDiscarded() {
    return discarded.get();
  }

  private void send(
      PendingBatch batch, int index, ProducerRecord<byte[], byte[]> record, OrderingKey key) {
    Exception failedInSend;
    try {
      Answer answer = new Answer(batch, index, key);
      producer.send(record, answer);
      failedInSend = answer.sendReturned();
    } catch (KafkaException | IllegalStateException e) {
      failedInSend = e; // the producer itself is unusable (closed, fatal state)
    } catch (RuntimeException e) {
      // Anything else thrown for one record is that record's own: it counts toward parking it.
      heldKeys.add(key);
      batch.failed(index, new RecordRefusedException(e));
      return;
    }
    if (failedInSend instanceof TimeoutException noMetadata) {
      // No metadata for the topic within max.block.ms. The topic's later rows fail at once
      // instead of blocking the caller again.
      unavailableTopics.add(record.topic());
      heldKeys.add(key);
      batch.failed(index, new TopicUnavailableException(record.topic(), noMetadata));
    } else if (failedInSend != null) {
      // Even a record Kafka can never take goes again until it is parked, and then holds its key:
      // nothing later of its key may pass it meanwhile.
      heldKeys.add(key);
      batch.failed(index, failedInSend);
    }
  }

  /**
   * Kafka's answer for one record. The producer reports some failures (no metadata, a record too
   * large) through the callback on the caller's thread before {@code send} returns: nothing of the
   * record reached the producer's buffer, so the caller handles them. Answers after that come from
   * the producer's I/O thread.
   */
  private final class Answer implements Callback {
    private final PendingBatch batch;
    private final int index;
    private final OrderingKey key;
    private final Thread caller = Thread.currentThread();
    private volatile boolean sendReturned;
    private Exception failedInSend;

    Answer(PendingBatch batch, int index, OrderingKey key) {
      this.batch = batch;
      this.index = index;
      this.key = key;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception == null) {
        batch.acknowledged(index);
      } else if (!sendReturned && Thread.currentThread() == caller) {
        failedInSend = exception;
      } else {
        // Whatever the failure, the record goes again or is parked, and holds its key: discard
        // the producer before its I/O thread sends anything behind this record.
        heldKeys.add(key);
        discard();
        batch.failed(index, exception);
      }
    }

    /** Called by the caller once {@code send} returned: the failure it reported meanwhile. */
    Exception sendReturned() {
      sendReturned = true;
      return failedInSend;
    }
  }

  /**
   * Closes the producer without waiting. Called on its I/O thread from a callback, the close takes
   * effect before that thread sends again; the records still in the producer fail.
   */
  private void discard() {
    if (discarded.compareAndSet(false, true)) {
      producer.close(Duration.ZERO);
    }
  }

  private static MalformedRowException asMalformed(RuntimeException e) {
    return e instanceof MalformedRowException malformed
        ? malformed
        : new MalformedRowException(
            "cannot be turned into a Kafka record: " + FailureClassifier.describe(e));
  }

  private void flushQuietly() {
    try {
      producer.flush();
    } catch (RuntimeException closed) {
      // closed meanwhile: the pending records fail and their batch reports it
    }
  }

  /** A sent batch whose acknowledgements are still arriving. */
  public final class PendingBatch {
    private final List<OutboxRow> rows;
    private final boolean[] acked;
    private final boolean[] notSent;
    private final long[] heldBy; // Holds.FREE, or what holds the row
    private final Throwable[] errors;
    private final CountDownLatch unanswered;

    private PendingBatch(List<OutboxRow> rows) {
      this.rows = rows;
      this.acked = new boolean[rows.size()];
      this.notSent = new boolean[rows.size()];
      this.heldBy = new long[rows.size()];
      Arrays.fill(heldBy, Holds.FREE);
      this.errors = new Throwable[rows.size()];
      this.unanswered = new CountDownLatch(rows.size());
    }

    private void acknowledged(int index) {
      acked[index] = true;
      unanswered.countDown();
    }

    /** Not sent: an earlier event of its key goes again, or the producer was discarded. */
    private void heldBack(int index) {
      notSent[index] = true;
      unanswered.countDown();
    }

    /** Not sent: held behind a parked event of its key, or in a paused topic. */
    private void held(int index, long holder) {
      heldBy[index] = holder;
      unanswered.countDown();
    }

    private void failed(int index, Throwable error) {
      errors[index] = error;
      unanswered.countDown();
    }

    public List<OutboxRow> rows() {
      return rows;
    }

    /** Waits for Kafka's answer on every record of the batch. */
    public BatchOutcome await() throws InterruptedException {
      if (!unanswered.await(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("Kafka did not answer within " + ackTimeout);
      }
      return outcome(rows, acked, notSent, heldBy, errors);
    }
  }

  /**
   * Sorts the batch's rows into those to mark published, the failures, those held behind a parked
   * event, and those that go again without a failure of their own: rows not sent (held back), and
   * acknowledged rows behind an earlier row of their key that failed (that row goes again or is
   * parked, and the key's later events must follow it, or wait behind it).
   */
  private BatchOutcome outcome(
      List<OutboxRow> rows, boolean[] acked, boolean[] notSent, long[] heldBy, Throwable[] errors) {
    Set<String> missingTopics = missingTopics(rows, acked, errors);
    long[] acknowledged = new long[rows.size()];
    int count = 0;
    int acknowledgedNotMarked = 0;
    int heldBack = 0;
    List<DeliveryFailure> failures = new ArrayList<>();
    List<HeldRow> held = new ArrayList<>();
    Set<OrderingKey> keysToResend = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      OutboxRow row = rows.get(i);
      if (heldBy[i] != Holds.FREE) {
        held.add(new HeldRow(row.seq(), heldBy[i], row.topic()));
        continue;
      }
      if (notSent[i]) {
        heldBack++;
        continue;
      }
      if (acked[i]) {
        if (keysToResend.isEmpty() || !keysToResend.contains(OrderingKey.of(row))) {
          acknowledged[count++] = row.seq();
        } else {
          acknowledgedNotMarked++;
        }
        continue;
      }
      DeliveryFailure.Kind kind = kindOf(errors[i], missingTopics.contains(row.topic()));
      DeliveryFailure failure =
          new DeliveryFailure(row.seq(), kind, FailureClassifier.describe(errors[i]));
      failures.add(failure);
      keysToResend.add(OrderingKey.of(row)); // it goes again or is parked: later ones follow it
    }
    return new BatchOutcome(
        Arrays.copyOf(acknowledged, count), failures, acknowledgedNotMarked, heldBack, held);
  }

  /**
   * The topics of this batch that do not exist. The producer's "no metadata" means that only if
   * Kafka acknowledged other rows of the batch; otherwise the cluster itself is asked.
   */
  private Set<String> missingTopics(List<OutboxRow> rows, boolean[] acked, Throwable[] errors) {
    boolean clusterAnswered = false;
    Set<String> suspects = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      clusterAnswered |= acked[i];
      if (!acked[i] && FailureClassifier.isMissingTopic(errors[i])) {
        suspects.add(rows.get(i).topic());
      }
    }
    if (suspects.isEmpty() || clusterAnswered) {
      return suspects;
    }
    return topicCheck.confirmMissing(suspects);
  }

  private static DeliveryFailure.Kind kindOf(Throwable error, boolean topicMissing) {
    if (error instanceof MalformedRowException) {
      return DeliveryFailure.Kind.MALFORMED;
    }
    if (FailureClassifier.isPermanent(error)) {
      return DeliveryFailure.Kind.PERMANENT;
    }
    if (topicMissing && FailureClassifier.isMissingTopic(error)) {
      return DeliveryFailure.Kind.MISSING_TOPIC;
    }
    return DeliveryFailure.Kind.TRANSIENT;
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    producer.close();
  }

  /** Closes the producer, abandoning records still in flight after {@code timeout}. */
  public void close(Duration timeout) {
    flusher.shutdownNow();
    producer.close(timeout);
  }

  /**
   * The producer found no metadata for a topic within {@code max.block.ms}: the topic is missing,
   * or the whole cluster is away.
   */
  static final class TopicUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TopicUnavailableException(String topic, TimeoutException cause) {
      super("no metadata for topic " + topic + " (missing, or the cluster is away)", cause);
    }
  }

  /** The producer threw something unexpected while taking one record: that record's fault. */
  static final class RecordRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RecordRefusedException(RuntimeException cause) {
      super("the producer refused the record: " + FailureClassifier.describe(cause), cause);
    }
  }
}
