package io.github.outboxrelay.relay.loop;

import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.relay.db.FrontierQueries;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Claims with {@code FOR UPDATE SKIP LOCKED} for relays that all claim at once ({@code
 * outbox.exclusive: false}): row locks keep their batches apart and every published row is marked
 * or deleted, so a claim can start from a low frontier (everything outside it published or parked)
 * that any of them may compute. It is moved up when a claim finds less than a batch, or at least
 * every {@link #LOW_INTERVAL_NANOS}, and stored (by a claim that found nothing, so that no batch
 * holds the position row's lock while it waits for Kafka) for the backlog gauges and the next
 * start.
 */
final class LockedClaims implements ClaimSource {

  static final long LOW_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final FrontierQueries frontiers;
  private final int batchSize;
  private Frontier low = Frontier.START;
  private long movedAtNanos = System.nanoTime();

  LockedClaims(FrontierQueries frontiers, int batchSize) {
    this.frontiers = frontiers;
    this.batchSize = batchSize;
  }

  @Override
  public int isolation() {
    return Connection.TRANSACTION_READ_COMMITTED; // locks see the latest row versions
  }

  @Override
  public void resume(Connection connection) throws SQLException {
    low = frontiers.lowFrontier(connection, frontiers.loadFrontier(connection));
    movedAtNanos = System.nanoTime();
  }

  @Override
  public Claimed claim(Connection connection) throws SQLException {
    // Read before the claim: a row of a key parked in between is sent. Without the lease there is
    // no order across relays anyway (one relay may hold a key's event locked while another sends
    // the next), so the hold is as good as the order it protects.
    Holds held = frontiers.holds(connection);
    if (held.everythingPaused()) {
      return new Claimed(List.of(), low, held);
    }
    List<io.github.outboxrelay.relay.core.OutboxRow> rows =
        frontiers.claimLocked(connection, low, batchSize);
    long now = System.nanoTime();
    if (rows.size() < batchSize || now - movedAtNanos >= LOW_INTERVAL_NANOS) {
      low = frontiers.lowFrontier(connection, low);
      movedAtNanos = now;
      if (rows.isEmpty()) {
        frontiers.saveFrontier(connection, low); // committed at once with the empty claim
      }
    }
    return new Claimed(rows, low, held);
  }

  @Override
  public void ended(Claimed batch, long[] unfinished) {
    // Unfinished rows stay unmarked, and a rolled-back batch's locks are gone: the next claim from
    // the low frontier finds them again.
  }

  @Override
  public void savePosition(Connection connection) {
    // Stored by claims that found nothing: see the class description.
  }
}
