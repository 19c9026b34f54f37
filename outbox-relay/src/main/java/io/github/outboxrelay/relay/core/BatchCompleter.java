package io.github.outboxrelay.relay.core;

import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.kafka.BatchOutcome;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes sent batches on a thread of its own, strictly in claim order: waits for Kafka's answers,
 * marks the acknowledged rows, records failures, commits. Meanwhile the relay loop claims and sends
 * the next batches, so the database work of one batch overlaps the Kafka round trip and the claim
 * of the next. At most {@code capacity} batches are in flight (each holds a connection and its
 * rows' locks).
 *
 * <p>When a batch fails (Kafka away, database error), it and every batch behind it are rolled back
 * so their rows become claimable again, and the loop learns of the failure at its next {@link
 * #awaitSlot()}. When only some rows of a batch fail for a reason that may pass, the batch marks
 * what it can (see {@link BatchOutcome}) and commits, and the batches behind it are rolled back:
 * they may hold later events of the failed rows' keys, which must follow the retried rows again.
 */
final class BatchCompleter {

  private static final Logger LOG = LoggerFactory.getLogger(BatchCompleter.class);

  /** A claimed batch: its open transaction (holding the row locks) and its sent records. */
  record InFlightBatch(
      Connection connection, KafkaPublisher.PendingBatch pending, long sentAtNanos) {}

  private final OutboxRepository repository;
  private final RelayMetrics metrics;
  private final RelayStatus status;
  private final int maxAttempts;
  private final int capacity;
  private final Semaphore slots;
  private final BlockingQueue<InFlightBatch> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean committedSinceAsked = new AtomicBoolean();
  private volatile Exception failure;
  private volatile boolean running = true;
  private final Thread thread;

  BatchCompleter(
      OutboxRepository repository,
      RelayMetrics metrics,
      RelayStatus status,
      int maxAttempts,
      int capacity) {
    this.repository = repository;
    this.metrics = metrics;
    this.status = status;
    this.maxAttempts = maxAttempts;
    this.capacity = capacity;
    this.slots = new Semaphore(capacity);
    this.thread = new Thread(this::run, "outbox-relay-completer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Waits for room for one more batch in flight.
   *
   * @throws Exception the failure of an earlier batch, once every batch in flight has been rolled
   *     back; the caller backs off and claims again
   */
  void awaitSlot() throws Exception {
    slots.acquire();
    if (failure != null) {
      slots.release();
      awaitIdle(Duration.ofDays(1)); // every batch behind the failed one is rolled back
      Exception earlier = failure;
      failure = null;
      throw earlier;
    }
  }

  /** Gives back a slot taken by {@link #awaitSlot()} that was not used (nothing claimed). */
  void releaseSlot() {
    slots.release();
  }

  /** Queues a sent batch, which holds the slot its caller took, for completion in order. */
  void submit(InFlightBatch batch) {
    queue.add(batch);
  }

  /** Whether a batch committed since the last call: the loop resets its backoff on success. */
  boolean committedSinceAsked() {
    return committedSinceAsked.getAndSet(false);
  }

  /**
   * Waits until every submitted batch is finished.
   *
   * @return false if the timeout ran out first
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    if (!slots.tryAcquire(capacity, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    slots.release(capacity);
    return true;
  }

  void stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(5));
    InFlightBatch left;
    while ((left = queue.poll()) != null) {
      rollBack(left);
    }
  }

  private void run() {
    while (running) {
      InFlightBatch batch;
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (failure != null) {
          rollBack(batch); // an earlier batch failed: its successors go back to the queue too
        } else {
          complete(batch);
        }
      } catch (Exception e) {
        failure = e;
        rollBack(batch);
      } finally {
        slots.release();
      }
    }
  }

  private void complete(InFlightBatch batch) throws Exception {
    Connection connection = batch.connection();
    BatchOutcome outcome = batch.pending().await();
    metrics.publishLatency.update(System.nanoTime() - batch.sentAtNanos(), TimeUnit.NANOSECONDS);
    if (outcome.kafkaUnavailable()) {
      throw new OutboxRelay.KafkaUnavailableException(outcome.firstError());
    }
    long markStart = System.nanoTime();
    repository.markPublished(connection, outcome.acknowledged());
    List<ParkedEvent> parked =
        outcome.failures().isEmpty()
            ? List.of()
            : repository.recordFailures(connection, outcome.failures(), maxAttempts);
    connection.commit();
    metrics.markLatency.update(System.nanoTime() - markStart, TimeUnit.NANOSECONDS);
    closeQuietly(connection);
    status.kafkaUp();
    metrics.batchSize.update(batch.pending().rows().size());
    metrics.published.mark(outcome.acknowledged().length);
    record(outcome, parked);
    long goingAgain = goingAgain(outcome, parked);
    if (goingAgain == 0) {
      committedSinceAsked.set(true); // resets the loop's backoff
      return;
    }
    // The failed rows are sent again, and with them their keys' later events, some of which may
    // already sit acknowledged in the batches behind this one: roll those back rather than mark
    // them, so that each key's last copies in the topic stay in write order.
    throw new OutboxRelay.BatchGoesAgainException(
        goingAgain
            + " of "
            + batch.pending().rows().size()
            + " rows failed for a reason that may pass (first: "
            + outcome.firstError()
            + ")");
  }

  /** The failed rows that will be sent again: neither refused for good nor parked just now. */
  private static long goingAgain(BatchOutcome outcome, List<ParkedEvent> parked) {
    if (!outcome.mustGoAgain()) {
      return 0;
    }
    Set<Long> parkedSeqs = parked.stream().map(ParkedEvent::seq).collect(Collectors.toSet());
    return outcome.failures().stream()
        .filter(failure -> !failure.permanent() && !parkedSeqs.contains(failure.seq()))
        .count();
  }

  private void record(BatchOutcome outcome, List<ParkedEvent> parked) {
    outcome
        .failures()
        .forEach(
            failure -> {
              if (failure.permanent()) {
                metrics.permanentFailures.mark();
                LOG.warn("Kafka refused outbox row {}: {}", failure.seq(), failure.error());
              } else {
                metrics.transientFailures.mark();
              }
            });
    for (ParkedEvent event : parked) {
      metrics.parked.mark();
      LOG.error(
          "Parked event {} (row {}, topic {}) after {} failed attempts: {}",
          event.id(),
          event.seq(),
          event.topic(),
          event.attempts(),
          event.lastError());
    }
  }

  /**
   * Gives a batch's rows back to be sent again: a failed batch, one behind it, or one committed
   * with rows to resend (its connection is closed already). Counted in {@code batches.rolled-back},
   * since each can deliver events a second time.
   */
  private void rollBack(InFlightBatch batch) {
    metrics.rolledBackBatches.mark();
    rollBackAndClose(batch.connection());
  }

  /** Gives a claimed batch's rows back (its locks go with the transaction) and the connection. */
  static void rollBackAndClose(Connection connection) {
    try {
      if (connection.isClosed()) {
        return; // committed already: a batch with rows to send again fails after its commit
      }
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("Rollback failed; the connection is broken and the pool will replace it", e);
    }
    closeQuietly(connection);
  }

  static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Closing a connection failed; the pool replaces it", e);
    }
  }
}
