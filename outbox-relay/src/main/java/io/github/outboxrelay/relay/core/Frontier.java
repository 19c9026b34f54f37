package io.github.outboxrelay.relay.core;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * How far the relay's claims have got, without a mark on any row (docs/design/claim-frontier.md).
 * The rows still to publish are the unpublished, unparked, visible rows that are
 *
 * <ul>
 *   <li>above the {@code cursor}, or
 *   <li>at or below it, written by a transaction a snapshot did not see ({@code txid >= xmax} or
 *       {@code txid} in {@code xip}): they committed after the claim that passed them. Up to {@code
 *       floor} the latest snapshot tells them apart; above it, while a claim full of such
 *       stragglers is being worked through, the snapshot from before ({@code older}); or
 *   <li>{@code reopened}: claimed, then not finished (a send that goes again, a rolled-back batch).
 * </ul>
 *
 * A claim takes the first of them in {@code seq} order, so an event is never published before an
 * event of its key whose transaction committed before it was written (that event has the lower
 * {@code seq} and is visible whenever the later one is). {@code FrontierTest} checks this against a
 * model of PostgreSQL's transactions.
 *
 * @param cursor the highest {@code seq} claimed from above the previous cursor
 * @param latest the snapshot of the latest claim
 * @param floor where {@code latest} stops and {@code older} takes over; equal to the cursor unless
 *     a claim was full of stragglers
 * @param older the snapshot that tells stragglers apart between {@code floor} and the cursor
 * @param reopened rows to claim again, ascending
 */
public record Frontier(long cursor, Snapshot latest, long floor, Snapshot older, long[] reopened) {

  /**
   * A snapshot, as PostgreSQL's {@code pg_current_snapshot()} gives it: every transaction from
   * {@code xmax} on, and those in {@code xip} (in progress), were unseen.
   */
  public record Snapshot(long xmax, long[] xip) {

    public static final Snapshot NOTHING_SEEN = new Snapshot(0, new long[0]);

    public Snapshot {
      xip = xip.clone();
      Arrays.sort(xip);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Snapshot that && xmax == that.xmax && Arrays.equals(xip, that.xip);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(xmax) * 31 + Arrays.hashCode(xip);
    }

    @Override
    public String toString() {
      return xmax + ":" + Arrays.toString(xip);
    }
  }

  /** Where a relay starts on a table it has no stored frontier for: every row is to publish. */
  public static final Frontier START =
      new Frontier(0, Snapshot.NOTHING_SEEN, 0, Snapshot.NOTHING_SEEN, new long[0]);

  public Frontier {
    reopened = reopened.clone();
    Arrays.sort(reopened);
  }

  /**
   * The frontier after a claim of at most {@code limit} rows, in the snapshot {@code taken}, that
   * returned {@code claimed} (their {@code seq}s, ascending).
   */
  public Frontier afterClaim(long[] claimed, Snapshot taken, int limit) {
    if (claimed.length == limit && claimed[claimed.length - 1] <= cursor) {
      // Stragglers or reopened rows filled the batch, and more may follow below the cursor. Up to
      // the last one claimed, those still unseen by this claim's snapshot are the stragglers; above
      // it, those unseen by the snapshot from before the batch filled up. (A transaction that wrote
      // a million rows below the cursor is claimed in batches, in order, instead of at once.)
      long last = claimed[claimed.length - 1];
      Snapshot before = floor == cursor ? latest : older;
      return new Frontier(cursor, taken, last, before, above(reopened, last));
    }
    // Not full, or full up to rows above the cursor: every row to publish at or below the last one
    // claimed was claimed (in seq order), so this snapshot alone tells the next stragglers apart,
    // and reopened rows the claim did not return were finished elsewhere (parked, published).
    long last = claimed.length == 0 ? cursor : Math.max(cursor, claimed[claimed.length - 1]);
    return new Frontier(last, taken, last, taken, new long[0]);
  }

  /** The same frontier with these rows to claim again as well. */
  public Frontier reopen(long[] seqs) {
    if (seqs.length == 0) {
      return this;
    }
    long[] union =
        LongStream.concat(Arrays.stream(reopened), Arrays.stream(seqs))
            .sorted()
            .distinct()
            .toArray();
    return new Frontier(cursor, latest, floor, older, union);
  }

  private static long[] above(long[] sorted, long bound) {
    return Arrays.stream(sorted).filter(seq -> seq > bound).toArray();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Frontier that
        && cursor == that.cursor
        && floor == that.floor
        && latest.equals(that.latest)
        && older.equals(that.older)
        && Arrays.equals(reopened, that.reopened);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(cursor) * 31 + latest.hashCode() * 17 + Arrays.hashCode(reopened);
  }

  @Override
  public String toString() {
    return "Frontier[cursor="
        + cursor
        + ", latest="
        + latest
        + ", floor="
        + floor
        + ", older="
        + older
        + ", reopened="
        + reopened.length
        + "]";
  }
}
