package io.github.outboxrelay.relay.loop;

import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.relay.core.OutboxRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where the relay claims its batches from, and what it remembers about them: {@link FrontierClaims}
 * when one relay claims at a time (no row locks, no write per row), {@link LockedClaims} when every
 * relay claims ({@code outbox.exclusive: false}).
 */
interface ClaimSource {

  /**
   * A claimed batch: its rows, the frontier right after the claim (for the stored position), and
   * the keys parked events held when it was claimed (rows of those keys are held, not sent).
   */
  record Claimed(List<OutboxRow> rows, Frontier after, Holds held) {

    static Claimed none() {
      return new Claimed(List.of(), null, Holds.NONE);
    }

    long[] seqs() {
      return rows.stream().mapToLong(OutboxRow::seq).toArray();
    }
  }

  /** The isolation level a claim's transaction needs. */
  int isolation();

  /** Takes up where the relays left off; called with nothing in flight, before the first claim. */
  void resume(Connection connection) throws SQLException;

  /** Claims the next batch, in the connection's transaction. */
  Claimed claim(Connection connection) throws SQLException;

  /** A batch ended, in claim order; {@code unfinished} of its rows go again. */
  void ended(Claimed batch, long[] unfinished);

  /**
   * Stores the position, if it is due, in a transaction of its own on {@code connection} (after the
   * batch's own committed: a batch's snapshot predates the batches before it, so its transaction
   * could not update the position row they updated), and commits it.
   */
  void savePosition(Connection connection) throws SQLException;
}
