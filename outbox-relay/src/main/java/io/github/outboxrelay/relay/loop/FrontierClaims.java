package io.github.outboxrelay.relay.loop;

import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.db.FrontierQueries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Claims from a {@link Frontier}, without row locks: the one relay that holds the lease keeps its
 * batches apart by the cursor, and rows that go again are reopened rather than left unmarked. The
 * position is stored after a batch committed, at most every {@code saveInterval} (none: after every
 * batch): a stored position is never ahead of what is finished (its reopened rows are every row not
 * finished yet), so a relay that takes over from it sends again at most what the last interval
 * published.
 */
final class FrontierClaims implements ClaimSource {

  /** How often the position is stored when published rows are marked or deleted as well. */
  static final Duration SAVE_INTERVAL = Duration.ofMillis(100);

  private final FrontierQueries frontiers;
  private final int batchSize;
  private final long saveIntervalNanos;
  private Frontier frontier = Frontier.START; // the loop thread's
  private final Queue<long[]> toReopen = new ConcurrentLinkedQueue<>();
  private final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
  private long savedAtNanos; // the completion thread's
  private volatile Frontier lastEnded;

  FrontierClaims(FrontierQueries frontiers, int batchSize, Duration saveInterval) {
    this.frontiers = frontiers;
    this.batchSize = batchSize;
    this.saveIntervalNanos = saveInterval.toNanos();
    this.savedAtNanos = System.nanoTime() - saveIntervalNanos;
  }

  @Override
  public int isolation() {
    return Connection.TRANSACTION_REPEATABLE_READ; // the snapshot and the rows, seen together
  }

  @Override
  public void resume(Connection connection) throws SQLException {
    frontier = frontiers.loadFrontier(connection);
    toReopen.clear();
    unfinished.clear();
    Arrays.stream(frontier.reopened()).forEach(unfinished::add);
  }

  @Override
  public Claimed claim(Connection connection) throws SQLException {
    long[] reopen;
    while ((reopen = toReopen.poll()) != null) {
      frontier = frontier.reopen(reopen);
    }
    FrontierQueries.FrontierClaim claim = frontiers.claim(connection, frontier, batchSize);
    if (!claim.claimed()) {
      return new Claimed(List.of(), frontier, claim.held()); // everything paused: nothing moves
    }
    long[] seqs = claim.rows().stream().mapToLong(row -> row.seq()).toArray();
    frontier = frontier.afterClaim(seqs, claim.snapshot(), batchSize);
    return new Claimed(claim.rows(), frontier, claim.held());
  }

  @Override
  public void ended(Claimed batch, long[] goAgain) {
    for (long seq : batch.seqs()) {
      unfinished.remove(seq);
    }
    if (goAgain.length > 0) {
      Arrays.stream(goAgain).forEach(unfinished::add);
      toReopen.add(goAgain);
    }
    lastEnded = batch.after();
  }

  @Override
  public void savePosition(Connection connection) throws SQLException {
    long now = System.nanoTime();
    Frontier after = lastEnded;
    if (after == null || now - savedAtNanos < saveIntervalNanos) {
      return;
    }
    // Everything claimed up to the last batch that ended has ended (batches end in claim order),
    // so its frontier, with every row not finished yet reopened, leaves out only what is done.
    long[] open = unfinished.stream().mapToLong(Long::longValue).toArray();
    frontiers.saveFrontier(
        connection,
        new Frontier(after.cursor(), after.latest(), after.floor(), after.older(), open));
    connection.commit();
    savedAtNanos = now;
  }
}
