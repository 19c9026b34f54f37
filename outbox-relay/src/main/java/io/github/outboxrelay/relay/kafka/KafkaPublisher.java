package io.github.outboxrelay.relay.kafka;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.kafka.RecordBuilder.MalformedRowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends claimed batches to Kafka and collects, per batch, which records were acknowledged and which
 * failed. It touches no database: the loop decides what to mark (no JDBC on Kafka's threads).
 */
public final class KafkaPublisher implements AutoCloseable {

  private final Producer<byte[], byte[]> producer;
  private final Duration ackTimeout;
  private final TopicCheck topicCheck;
  private final ExecutorService flusher;

  /** A publisher that never confirms a topic missing; for tests of everything else. */
  public KafkaPublisher(Producer<byte[], byte[]> producer, Duration ackTimeout) {
    this(producer, ackTimeout, TopicCheck.NONE);
  }

  /**
   * @param ackTimeout how long to wait for the last acknowledgement after the last send; set it
   *     above the producer's {@code delivery.timeout.ms}, which bounds it anyway
   * @param topicCheck asked about topics without metadata when Kafka acknowledged nothing in a
   *     batch, to tell a missing topic from an unreachable cluster
   */
  public KafkaPublisher(
      Producer<byte[], byte[]> producer, Duration ackTimeout, TopicCheck topicCheck) {
    this.producer = producer;
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
    PendingBatch batch = new PendingBatch(rows);
    // A topic whose metadata cannot be had blocks send() for max.block.ms: pay that once a batch.
    Set<String> unavailableTopics = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      ProducerRecord<byte[], byte[]> record;
      try {
        record = RecordBuilder.build(rows.get(i));
      } catch (RuntimeException malformed) {
        // Whatever the row holds, it fails on its own: never the batch, never the other rows.
        batch.failed(i, asMalformed(malformed));
        continue;
      }
      if (unavailableTopics.contains(record.topic())) {
        batch.failed(i, new TopicUnavailableException(record.topic(), null));
        continue;
      }
      send(batch, i, record);
      if (batch.errors[i] instanceof TimeoutException timeout) {
        // failed inside send(): no metadata for the topic within max.block.ms
        unavailableTopics.add(record.topic());
        batch.errors[i] = new TopicUnavailableException(record.topic(), timeout);
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

  private void send(PendingBatch batch, int index, ProducerRecord<byte[], byte[]> record) {
    try {
      producer.send(
          record,
          (metadata, exception) -> {
            if (exception == null) {
              batch.acknowledged(index);
            } else {
              batch.failed(index, exception);
            }
          });
    } catch (KafkaException | IllegalStateException e) {
      // The producer itself is unusable (closed, fatal state): not this record's fault.
      batch.failed(index, e);
    } catch (RuntimeException e) {
      // Anything else thrown for one record is that record's own: it counts toward parking it.
      batch.failed(index, new RecordRefusedException(e));
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
    private final Throwable[] errors;
    private final CountDownLatch unanswered;

    private PendingBatch(List<OutboxRow> rows) {
      this.rows = rows;
      this.acked = new boolean[rows.size()];
      this.errors = new Throwable[rows.size()];
      this.unanswered = new CountDownLatch(rows.size());
    }

    private void acknowledged(int index) {
      acked[index] = true;
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
      return outcome(rows, acked, errors);
    }
  }

  /**
   * Sorts the batch's rows into those to mark published and the failures. An acknowledged row is
   * held back (neither marked nor failed) when an earlier row of its key failed for a reason that
   * may pass: that row will be sent again, and the key's later events must follow it again.
   */
  private BatchOutcome outcome(List<OutboxRow> rows, boolean[] acked, Throwable[] errors) {
    Set<String> missingTopics = missingTopics(rows, acked, errors);
    long[] acknowledged = new long[rows.size()];
    int count = 0;
    List<DeliveryFailure> failures = new ArrayList<>();
    Set<String> keysToResend = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      OutboxRow row = rows.get(i);
      if (acked[i]) {
        if (keysToResend.isEmpty() || !keysToResend.contains(keyOf(row))) {
          acknowledged[count++] = row.seq();
        }
        continue;
      }
      DeliveryFailure.Kind kind = kindOf(errors[i], missingTopics.contains(row.topic()));
      DeliveryFailure failure =
          new DeliveryFailure(row.seq(), kind, FailureClassifier.describe(errors[i]));
      failures.add(failure);
      if (!failure.permanent()) {
        keysToResend.add(keyOf(row));
      }
    }
    return new BatchOutcome(
        Arrays.copyOf(acknowledged, count), failures, rows.size() - count - failures.size());
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

  /** Kafka keeps order per partition; the relay promises it per topic and key. */
  private static String keyOf(OutboxRow row) {
    return row.topic() + '\u0000' + row.aggregateId();
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
