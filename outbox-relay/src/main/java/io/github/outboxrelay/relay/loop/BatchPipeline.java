package io.github.outboxrelay.relay.loop;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.HeldRow;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.relay.core.Worker;
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
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batches in flight, from claim to commit, in one owner: the slots that bound them, the queue
 * that keeps them in claim order, their connections, and the thread that completes them. As in
 * Kafka's producer, where {@code send} only appends and the {@code Sender} alone completes batches,
 * {@link #turn} claims and sends a batch and returns at once, and the completion thread waits for
 * Kafka's answers, marks the acknowledged rows, records the failures and commits, while the next
 * batch is claimed and sent. At most {@code capacity} batches are in flight (each holds a
 * connection and its rows' locks).
 *
 * <p>Each batch ends in a {@link Completion}. One that is not {@link Completion.Committed} stops
 * the pipeline: the next {@link #turn} claims nothing and hands that completion to the loop
 * instead, once nothing is in flight any more, and the publisher starts over. The batches sent
 * after the one that stopped it still complete: the publisher did not send the later events of a
 * key whose event goes again, so they mark what Kafka acknowledged and leave the rest to be claimed
 * again, in write order. They are rolled back instead when the database failed (the stopped batch
 * is sent again in full, so the events behind it must follow it again) or the producer was
 * discarded (records sent with it may have arrived unanswered).
 */
final class BatchPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(BatchPipeline.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** Claims rows on the batch's connection, in its transaction; none to claim nothing. */
  @FunctionalInterface
  interface Claim {
    ClaimSource.Claimed rows(Connection connection) throws SQLException;
  }

  /** How one sent batch ended. */
  sealed interface Completion {

    /** Marked, failures recorded, committed; nothing goes again. */
    record Committed(int published) implements Completion {}

    /**
     * Committed, and {@code parked} events were parked: their keys are held from now on. The
     * pipeline starts over, so that no batch claimed before the keys were held sends a later event
     * of theirs; it starts again at once, without backing off.
     */
    record KeysHeld(int parked) implements Completion {}

    /**
     * Committed what could be marked, but some events failed and are not parked yet: they go again,
     * and with them the later events of their keys.
     */
    record SomeGoAgain(long goingAgain, int rows, String firstError) implements Completion {}

    /** Kafka acknowledged nothing and no failure was the events' own: rolled back. */
    record KafkaUnavailable(String reason) implements Completion {}

    /** The database failed while claiming, marking or committing: rolled back. */
    record DatabaseFailed(SQLException error) implements Completion {}

    /**
     * A concurrent change conflicted with the batch (a serialization failure or a deadlock, such as
     * an operator's requeue of the parked event it was about to hold rows by): rolled back. The
     * database is fine, and the batch goes again at once.
     */
    record Conflicted(SQLException error) implements Completion {}

    /** What a database error ended: a conflict (SQLSTATE class 40) or a failure. */
    static Completion ofDatabase(SQLException error) {
      String state = error.getSQLState();
      return state != null && state.startsWith("40")
          ? new Conflicted(error)
          : new DatabaseFailed(error);
    }

    /** Something nobody expected: rolled back. */
    record Failed(Exception error) implements Completion {}
  }

  /** What one {@link #turn} did. */
  sealed interface Turn {

    /**
     * Claimed {@code rows} (perhaps none) and sent them; {@code committed} says whether a batch
     * committed since the previous turn.
     */
    record Claimed(int rows, boolean committed) implements Turn {}

    /** Claimed nothing: an earlier batch ended this way, and everything behind it rolled back. */
    record Stopped(Completion cause) implements Turn {}
  }

  /** A claimed batch: its open transaction, what was claimed and its sent records. */
  private record InFlightBatch(
      Connection connection,
      ClaimSource.Claimed claimed,
      KafkaPublisher.PendingBatch pending,
      long sentAtNanos) {}

  private final DataSource dataSource;
  private final ClaimSource source;
  private final OutboxRepository repository;
  private final KafkaPublisher publisher;
  private final RelayMetrics metrics;
  private final int maxAttempts;
  private final int capacity;
  private final Semaphore slots;
  private final BlockingQueue<InFlightBatch> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean committedSinceTurn = new AtomicBoolean();
  private final Worker completer;
  private volatile Completion stoppedBy;

  BatchPipeline(
      DataSource dataSource,
      ClaimSource source,
      OutboxRepository repository,
      KafkaPublisher publisher,
      RelayMetrics metrics,
      RelayStatus status,
      int maxAttempts,
      int capacity) {
    this.dataSource = dataSource;
    this.source = source;
    this.repository = repository;
    this.publisher = publisher;
    this.metrics = metrics;
    this.maxAttempts = maxAttempts;
    this.capacity = capacity;
    this.slots = new Semaphore(capacity);
    this.completer =
        new Worker(
            "outbox-relay-completer",
            this::completeInOrder,
            error -> status.threadDied("outbox-relay-completer", error));
  }

  void start() {
    completer.start();
  }

  /**
   * Waits for room for one more batch, then claims it with {@code claim} on a connection of its own
   * and sends it, without waiting for Kafka. SKIP LOCKED makes the claim pass over the rows of the
   * batches still in flight.
   */
  Turn turn(Claim claim) throws InterruptedException {
    slots.acquire();
    Completion stopped = stoppedBy;
    if (stopped != null) {
      slots.release();
      awaitIdle(); // the completion thread completes or rolls back every batch behind it
      publisher.startOver();
      stoppedBy = null;
      return new Turn.Stopped(stopped);
    }
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      slots.release();
      return new Turn.Stopped(Completion.ofDatabase(e));
    }
    try {
      connection.setTransactionIsolation(source.isolation());
    } catch (SQLException e) {
      closeQuietly(connection); // back to the pool, which replaces it if it is broken
      slots.release();
      return new Turn.Stopped(Completion.ofDatabase(e));
    }
    try {
      long claimStart = System.nanoTime();
      ClaimSource.Claimed claimed = claim.rows(connection);
      List<OutboxRow> rows = claimed.rows();
      metrics.claimLatency.update(System.nanoTime() - claimStart, TimeUnit.NANOSECONDS);
      if (rows.isEmpty()) {
        connection.commit();
        closeQuietly(connection);
        slots.release();
      } else {
        queue.add(
            new InFlightBatch(
                connection, claimed, publisher.send(rows, claimed.held()), System.nanoTime()));
      }
      return new Turn.Claimed(rows.size(), committedSinceTurn.getAndSet(false));
    } catch (SQLException e) {
      rollBackAndClose(connection);
      slots.release();
      return new Turn.Stopped(Completion.ofDatabase(e));
    } catch (RuntimeException e) {
      rollBackAndClose(connection);
      slots.release();
      return new Turn.Stopped(new Completion.Failed(e));
    }
  }

  /**
   * Waits until no batch is in flight.
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

  /**
   * Takes up where the relays left off, once nothing is in flight: before the first claim, and
   * whenever this relay becomes the one that claims.
   */
  void resume() throws InterruptedException, SQLException {
    awaitIdle();
    io.github.outboxrelay.relay.db.Transactions.inTransaction(
        dataSource,
        connection -> {
          source.resume(connection);
          return null;
        });
  }

  /** Waits for every batch in flight; each ends within the publisher's ack timeout. */
  private void awaitIdle() throws InterruptedException {
    slots.acquire(capacity);
    slots.release(capacity);
  }

  /** Stops the completion thread and rolls back what it left. */
  void stop() throws InterruptedException {
    completer.stop(STOP_TIMEOUT, completer::interrupt); // it may wait in queue.take()
    InFlightBatch left;
    while ((left = queue.poll()) != null) {
      rollBack(left);
      slots.release();
    }
  }

  private void completeInOrder() {
    while (completer.running()) {
      InFlightBatch batch;
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (stoppedBy != null && goesAgainBehind(stoppedBy)) {
          rollBackBehind(batch);
          continue;
        }
        Completion completion = complete(batch);
        if (completion instanceof Completion.Committed
            || completion instanceof Completion.KeysHeld) {
          committedSinceTurn.set(true);
        }
        if (!(completion instanceof Completion.Committed)) {
          stoppedBy = completion; // if complete() has not already: a failed commit replaces it
        }
      } finally {
        slots.release();
      }
    }
  }

  /** Whether the batches sent after one that ended so must go again in full. */
  private boolean goesAgainBehind(Completion stopped) {
    boolean answeredByKafka =
        stopped instanceof Completion.SomeGoAgain
            || stopped instanceof Completion.KafkaUnavailable
            || stopped instanceof Completion.KeysHeld;
    return !answeredByKafka || publisher.producerDiscarded();
  }

  /**
   * Rolls back a batch sent after one that stopped the pipeline, once Kafka answered for it, so
   * that the records it delivered anyway are counted as sent again.
   */
  private void rollBackBehind(InFlightBatch batch) {
    try {
      BatchOutcome outcome = batch.pending().await();
      metrics.redelivered.mark(outcome.acknowledged().length + outcome.acknowledgedNotMarked());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("No answer from Kafka for a batch that goes again; not counted as sent again", e);
    }
    rollBack(batch);
  }

  private Completion complete(InFlightBatch batch) {
    Connection connection = batch.connection();
    int acknowledged = 0; // delivered, but sent again if the batch rolls back
    try {
      BatchOutcome outcome = batch.pending().await();
      metrics.publishLatency.update(System.nanoTime() - batch.sentAtNanos(), TimeUnit.NANOSECONDS);
      if (outcome.kafkaUnavailable()) {
        rollBack(batch);
        return new Completion.KafkaUnavailable(outcome.firstError());
      }
      long markStart = System.nanoTime();
      metrics.redelivered.mark(outcome.acknowledgedNotMarked());
      acknowledged = outcome.acknowledged().length;
      repository.markPublished(connection, outcome.acknowledged());
      List<ParkedEvent> parked =
          outcome.failures().isEmpty()
              ? List.of()
              : repository.recordFailures(connection, outcome.failures(), maxAttempts);
      List<HeldRow> held = HeldRows.of(batch.pending().rows(), outcome, parked);
      repository.hold(connection, held);
      long goingAgain = goingAgain(outcome, parked, held);
      int rows = batch.pending().rows().size();
      source.ended(batch.claimed(), unfinished(batch, outcome, parked, held));
      Completion completion;
      if (goingAgain > 0) {
        completion = new Completion.SomeGoAgain(goingAgain, rows, outcome.firstError());
      } else if (!parked.isEmpty()) {
        completion = new Completion.KeysHeld(parked.size());
      } else {
        completion = new Completion.Committed(outcome.acknowledged().length);
      }
      if (!(completion instanceof Completion.Committed)) {
        // Stop before the commit unlocks the rows that go again: a claim made in between would
        // take them into a batch that is then rolled back, a needless extra copy.
        stoppedBy = completion;
      }
      connection.commit();
      acknowledged = 0;
      // Counted once Kafka acknowledged them and the batch committed, before the position's own
      // commit: with keep, a relay killed in between sends them again (counted by its successor).
      if (goingAgain > 0) {
        metrics.rolledBackBatches.mark(); // it goes again in part: it may deliver events twice
      }
      metrics.markLatency.update(System.nanoTime() - markStart, TimeUnit.NANOSECONDS);
      metrics.batchSize.update(rows);
      metrics.published(batch.pending().rows(), outcome.acknowledged());
      metrics.batchCommitted(batch.sentAtNanos());
      metrics.held.mark(held.size());
      savePosition(connection);
      closeQuietly(connection);
      report(outcome, parked, held);
      return completion;
    } catch (SQLException e) {
      rollBackDelivered(batch, acknowledged);
      return Completion.ofDatabase(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: the batch goes again after a restart
      rollBackDelivered(batch, acknowledged);
      return new Completion.Failed(e);
    } catch (RuntimeException e) {
      rollBackDelivered(batch, acknowledged);
      return new Completion.Failed(e);
    }
  }

  /**
   * Stores the claims' position after a batch committed. A failure here loses nothing: the position
   * stored before is older, and a relay that starts from it sends again what it leaves out (with
   * {@code mark} or {@code delete}, passing over the rows marked or deleted since). Logged as a
   * warning, since with {@code keep} every failed store widens what a take-over sends twice.
   */
  private void savePosition(Connection connection) {
    try {
      source.savePosition(connection);
    } catch (SQLException e) {
      LOG.warn(
          "Storing the relay's position failed ({}); it is stored again with the next batch",
          e.getMessage());
    }
  }

  /** The rows of a batch that go again: neither acknowledged, nor parked, nor held. */
  private static long[] unfinished(
      InFlightBatch batch, BatchOutcome outcome, List<ParkedEvent> parked, List<HeldRow> held) {
    Set<Long> finished = parked.stream().map(ParkedEvent::seq).collect(Collectors.toSet());
    held.forEach(row -> finished.add(row.seq()));
    for (long seq : outcome.acknowledged()) {
      finished.add(seq);
    }
    return java.util.Arrays.stream(batch.claimed().seqs())
        .filter(seq -> !finished.contains(seq))
        .toArray();
  }

  private void rollBackDelivered(InFlightBatch batch, int acknowledged) {
    metrics.redelivered.mark(acknowledged);
    rollBack(batch);
  }

  /**
   * The failed rows that will be sent again: neither parked now nor held behind one that was. A
   * record Kafka refused for good goes again too, until it is parked: its key waits for it.
   */
  private static long goingAgain(
      BatchOutcome outcome, List<ParkedEvent> parked, List<HeldRow> held) {
    if (!outcome.anyFailed()) {
      return 0;
    }
    Set<Long> finished = parked.stream().map(ParkedEvent::seq).collect(Collectors.toSet());
    held.forEach(row -> finished.add(row.seq()));
    return outcome.failures().stream().filter(failure -> !finished.contains(failure.seq())).count();
  }

  private void report(BatchOutcome outcome, List<ParkedEvent> parked, List<HeldRow> held) {
    for (DeliveryFailure failure : outcome.failures()) {
      metrics.failed(failure);
      if (failure.permanent()) {
        LOG.warn("Kafka refused outbox row {}: {}", failure.seq(), failure.error());
      }
    }
    for (ParkedEvent event : parked) {
      metrics.parked.mark();
      LOG.error(
          "Parked event {} (row {}, topic {}) after {} failed attempts: {}. Key {} of topic {} is"
              + " held: its later events wait behind it until it is requeued or skipped",
          event.id(),
          event.seq(),
          event.topic(),
          event.attempts(),
          event.lastError(),
          event.aggregateId(),
          event.topic());
    }
    if (!held.isEmpty()) {
      LOG.debug("Held {} events behind parked events of their keys", held.size());
    }
  }

  /**
   * Gives a batch's rows back to be claimed again. Counted in {@code batches.rolled-back}, since
   * each can deliver events a second time.
   */
  private void rollBack(InFlightBatch batch) {
    metrics.rolledBackBatches.mark();
    rollBackAndClose(batch.connection());
    source.ended(batch.claimed(), batch.claimed().seqs()); // all of it goes again
  }

  private static void rollBackAndClose(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("Rollback failed; the connection is broken and the pool will replace it", e);
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Closing a connection failed; the pool replaces it", e);
    }
  }
}
