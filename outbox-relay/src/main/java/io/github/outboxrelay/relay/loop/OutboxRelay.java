package io.github.outboxrelay.relay.loop;

import io.dropwizard.lifecycle.Managed;
import io.github.outboxrelay.relay.core.Backoff;
import io.github.outboxrelay.relay.core.ClaimGate;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.relay.core.WorkSignal;
import io.github.outboxrelay.relay.core.Worker;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim-publish-mark loop, on one thread of its own. Each batch is one transaction: claim rows
 * with {@code FOR UPDATE SKIP LOCKED}, send every row to Kafka, wait for the acks, mark the
 * acknowledged rows published, record the failures, commit. Several batches are in flight at once
 * (claimed and sent while earlier ones await their acks), and they complete in claim order. A crash
 * at any point aborts the open transactions and their rows become claimable again: at-least-once
 * delivery.
 */
public final class OutboxRelay implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  private final DataSource dataSource;
  private final OutboxRepository repository;
  private final KafkaPublisher publisher;
  private final RelaySettings settings;
  private final RelayMetrics metrics;
  private final RelayStatus status;
  private final WorkSignal signal;
  private final Backoff backoff;
  private final Worker worker;
  private final BatchPipeline pipeline;
  private final ClaimSource source;
  private final ClaimGate gate;
  private boolean resumed;
  private long lastRowsClaimedNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  public OutboxRelay(
      DataSource dataSource,
      OutboxRepository repository,
      FrontierQueries frontiers,
      KafkaPublisher publisher,
      RelaySettings settings,
      RelayMetrics metrics,
      RelayStatus status,
      WorkSignal signal) {
    this(
        dataSource,
        repository,
        frontiers,
        publisher,
        settings,
        metrics,
        status,
        signal,
        ClaimGate.ALWAYS_OPEN);
  }

  /**
   * @param gate whether this relay may claim: {@link ClaimGate#ALWAYS_OPEN}, or a lease
   */
  public OutboxRelay(
      DataSource dataSource,
      OutboxRepository repository,
      FrontierQueries frontiers,
      KafkaPublisher publisher,
      RelaySettings settings,
      RelayMetrics metrics,
      RelayStatus status,
      WorkSignal signal,
      ClaimGate gate) {
    this.gate = gate;
    this.dataSource = dataSource;
    this.repository = repository;
    this.publisher = publisher;
    this.settings = settings;
    this.metrics = metrics;
    this.status = status;
    this.signal = signal;
    this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
    this.worker =
        new Worker("outbox-relay", this::loop, error -> status.threadDied("outbox-relay", error));
    // One relay claims at a time behind a lease: claims from the frontier. Otherwise row locks.
    // When nothing is written per published row, the position is the record: stored every batch.
    this.source =
        gate == ClaimGate.ALWAYS_OPEN
            ? new LockedClaims(frontiers, settings.batchSize())
            : new FrontierClaims(
                frontiers,
                settings.batchSize(),
                settings.published() == PublishedRows.KEEP
                    ? Duration.ZERO
                    : FrontierClaims.SAVE_INTERVAL);
    this.pipeline =
        new BatchPipeline(
            dataSource,
            source,
            repository,
            publisher,
            metrics,
            status,
            settings.maxAttempts(),
            settings.inFlightBatches());
  }

  @Override
  public void start() {
    worker.start();
  }

  /**
   * Stops claiming, lets the batches in flight finish (or abandons them, rolled back, when the
   * shutdown timeout runs out), then flushes and closes the producer.
   */
  @Override
  public void stop() throws InterruptedException {
    long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
    worker.stop(Duration.ofMillis(remainingMillis(deadline)), signal::signal);
    if (!pipeline.awaitIdle(Duration.ofMillis(remainingMillis(deadline)))) {
      LOG.warn("The batches in flight did not finish within the shutdown timeout; abandoning them");
      publisher.close(Duration.ZERO); // fails the pending sends, so their batches roll back
      pipeline.awaitIdle(Duration.ofSeconds(5));
    } else {
      publisher.close(Duration.ofMillis(remainingMillis(deadline)));
    }
    pipeline.stop();
    LOG.info("Outbox relay stopped");
  }

  private void loop() {
    LOG.info(
        "Outbox relay started on table {} ({} batches in flight)",
        repository.table(),
        settings.inFlightBatches());
    pipeline.start();
    while (worker.running()) {
      signal.clear();
      if (!gate.isOpen()) {
        // A standby listens too: when it gains the lease, the next notification wakes it at once
        // rather than after a poll interval (ListenNotifyIT, with a poll interval of a minute).
        signal.wantWakeUps(true);
        resumed = false; // another relay claims now: take up from its position when it is ours
        awaitSignal(settings.pollInterval()); // standing by; batches in flight still finish
        continue;
      }
      if (!resumed && !resume()) {
        pause();
        continue;
      }
      BatchPipeline.Turn turn;
      try {
        turn = pipeline.turn(this::claim);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (turn instanceof BatchPipeline.Turn.Claimed claimed) {
        onClaimed(claimed);
      } else if (turn instanceof BatchPipeline.Turn.Stopped stopped) {
        onStopped(stopped.cause());
        if (!goesAgainAtOnce(stopped.cause())) {
          pause();
        }
      }
    }
  }

  /** A relay that lost its lease claims nothing; the next turn of the loop stands by. */
  private ClaimSource.Claimed claim(Connection connection) throws SQLException {
    return gate.admitClaim(connection) ? source.claim(connection) : ClaimSource.Claimed.none();
  }

  /** Takes up where the relays left off; false (and the database reported down) if it failed. */
  private boolean resume() {
    try {
      pipeline.resume();
      resumed = true;
      return true;
    } catch (SQLException e) {
      status.databaseDown(e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void onClaimed(BatchPipeline.Turn.Claimed claimed) {
    status.databaseUp();
    if (claimed.committed()) {
      status.kafkaUp();
      backoff.reset();
    }
    if (claimed.rows() < settings.batchSize() && worker.running()) {
      if (recentlyActive(claimed.rows())) {
        // While events flow, claim once per active poll interval and let notifications wait for
        // it. Waking for each one (one per writer commit) made a batch, and a commit, per event:
        // at 1,000 commits/s with NOTIFY on, the batches queued behind each other's commits and
        // commit -> sent reached a p99 of 115 ms, against 12 ms polling (benchmark, 2026-12-01).
        // Polling alone would not do either: PostgreSQL delivers notifications in bursts under
        // load, gaps of tens of milliseconds measured here. "Flowing" lasts a poll interval past
        // the last claim that found rows. Meanwhile nobody listens: see NotificationListener.
        signal.wantWakeUps(false);
        worker.pause(settings.activePollInterval());
      } else {
        // Drained: wait for a NOTIFY or the poll interval; the first event after a quiet spell is
        // claimed the moment its notification arrives. The listener that starts listening again
        // wakes the loop once, so a commit made while nobody listened is claimed at once too.
        signal.wantWakeUps(true);
        awaitSignal(settings.pollInterval());
      }
    }
  }

  /** The loop's answer to a batch that did not commit cleanly: say why, then back off. */
  private void onStopped(BatchPipeline.Completion cause) {
    if (cause instanceof BatchPipeline.Completion.KafkaUnavailable kafka) {
      status.kafkaDown(kafka.reason());
    } else if (cause instanceof BatchPipeline.Completion.SomeGoAgain again) {
      LOG.warn(
          "{} of {} rows failed (first: {}); they go again (an event refused for good is parked"
              + " after {} attempts), and the later events of their keys wait for them",
          again.goingAgain(),
          again.rows(),
          again.firstError(),
          settings.maxAttempts());
    } else if (cause instanceof BatchPipeline.Completion.Conflicted conflict) {
      LOG.info(
          "A concurrent change conflicted with a batch ({}); it goes again",
          conflict.error().getMessage());
    } else if (cause instanceof BatchPipeline.Completion.DatabaseFailed database) {
      status.databaseDown(database.error().getMessage());
    } else if (cause instanceof BatchPipeline.Completion.Failed failed) {
      status.unexpectedFailure(failed.error());
    }
  }

  /**
   * Parking keys and losing a race with an operator's change are no trouble to back off from: the
   * loop claims again at once.
   */
  private static boolean goesAgainAtOnce(BatchPipeline.Completion cause) {
    return cause instanceof BatchPipeline.Completion.KeysHeld
        || cause instanceof BatchPipeline.Completion.Conflicted;
  }

  private void awaitSignal(Duration timeout) {
    try {
      signal.await(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the next turn ends the loop
    }
  }

  private boolean recentlyActive(int claimed) {
    long now = System.nanoTime();
    if (claimed > 0) {
      lastRowsClaimedNanos = now;
      return true;
    }
    return now - lastRowsClaimedNanos < settings.pollInterval().toNanos();
  }

  private void pause() {
    worker.pause(backoff.next());
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
