package io.github.outboxrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.relay.core.Frontier.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The frontier against a model of PostgreSQL's transactions: identity values handed out at insert,
 * transaction ids at begin, snapshots that see what committed before them. Random interleavings of
 * writers and claims must publish every committed row once, no rolled-back row, and never an event
 * before one of its key that committed before it was written.
 */
class FrontierTest {

  /** A row as the model's table holds it. */
  private record Row(long seq, long xid, String key, long insertedAt) {}

  /** The model database: writers' transactions, their rows, and what has been claimed. */
  private static final class Database {
    long nextXid = 100;
    long nextSeq = 1;
    long clock;
    final Map<Long, List<Row>> open = new TreeMap<>(); // xid -> rows written so far
    final Map<Long, Long> committedAt = new HashMap<>(); // xid -> time
    final Map<Long, Row> rows = new TreeMap<>(); // seq -> committed row
    final Set<Long> claimed = new HashSet<>();
    final List<Row> published = new ArrayList<>();

    long begin() {
      long xid = nextXid++;
      open.put(xid, new ArrayList<>());
      return xid;
    }

    void insert(long xid, String key) {
      open.get(xid).add(new Row(nextSeq++, xid, key, ++clock));
    }

    void commit(long xid) {
      for (Row row : open.remove(xid)) {
        rows.put(row.seq(), row);
      }
      committedAt.put(xid, ++clock);
    }

    void rollBack(long xid) {
      open.remove(xid);
    }

    Snapshot snapshot() {
      return new Snapshot(nextXid, open.keySet().stream().mapToLong(Long::longValue).toArray());
    }

    /** The relay's claim statement, evaluated in the model. */
    long[] claim(Frontier frontier, int limit) {
      Set<Long> reopened = new HashSet<>();
      for (long seq : frontier.reopened()) {
        reopened.add(seq);
      }
      long[] taken =
          rows.values().stream()
              .filter(row -> !claimed.contains(row.seq()))
              .filter(
                  row ->
                      row.seq() > frontier.cursor()
                          || (row.seq() <= frontier.floor() && unseen(row, frontier.latest()))
                          || (row.seq() > frontier.floor() && unseen(row, frontier.older()))
                          || reopened.contains(row.seq()))
              .mapToLong(Row::seq)
              .sorted()
              .limit(limit)
              .toArray();
      for (long seq : taken) {
        claimed.add(seq);
        published.add(rows.get(seq));
      }
      return taken;
    }
  }

  private static boolean unseen(Row row, Snapshot snapshot) {
    return row.xid() >= snapshot.xmax()
        || java.util.Arrays.binarySearch(snapshot.xip(), row.xid()) >= 0;
  }

  private static Frontier claimOnce(Database db, Frontier frontier, int limit) {
    Snapshot snapshot = db.snapshot(); // the claim's snapshot: the statement sees what it sees
    long[] taken = db.claim(frontier, limit);
    return frontier.afterClaim(taken, snapshot, limit);
  }

  @RepeatedTest(300)
  void randomInterleavingsPublishEveryCommittedRowOnceAndKeepOrderPerKey() {
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    Database db = new Database();
    Frontier frontier = Frontier.START;
    int limit = 1 + random.nextInt(8);
    for (int step = 0; step < 400; step++) {
      int action = random.nextInt(10);
      List<Long> open = new ArrayList<>(db.open.keySet());
      if (action < 2 || open.isEmpty()) {
        db.begin();
      } else if (action < 5) {
        db.insert(open.get(random.nextInt(open.size())), "key-" + random.nextInt(4));
      } else if (action < 7) {
        db.commit(open.get(random.nextInt(open.size())));
      } else if (action < 8) {
        db.rollBack(open.get(random.nextInt(open.size())));
      } else {
        frontier = claimOnce(db, frontier, limit);
      }
    }
    for (long xid : new ArrayList<>(db.open.keySet())) {
      db.commit(xid);
    }
    for (int i = 0; i < 1000 && db.claimed.size() < db.rows.size(); i++) {
      frontier = claimOnce(db, frontier, limit);
    }

    assertThat(db.published).as("seed %d: each committed row once", seed).hasSize(db.rows.size());
    assertThat(new HashSet<>(db.published)).isEqualTo(new HashSet<>(db.rows.values()));
    assertHappensBeforeOrder(db, seed);
  }

  @Test
  void aTransactionThatCommitsBelowTheCursorIsClaimedBeforeALaterEventOfItsKey() {
    // The example: A holds seq 1 of key X, uncommitted; the cursor passes seq 2; A commits;
    // B then writes seq 3 of X. Seq 1 must be published before seq 3.
    Database db = new Database();
    long a = db.begin();
    db.insert(a, "X");
    long other = db.begin();
    db.insert(other, "Y");
    db.commit(other);
    Frontier frontier = claimOnce(db, Frontier.START, 10);
    assertThat(frontier.cursor()).isEqualTo(2);
    db.commit(a);
    long b = db.begin();
    db.insert(b, "X");
    db.commit(b);

    claimOnce(db, frontier, 10);

    assertThat(db.published.stream().map(Row::seq)).containsExactly(2L, 1L, 3L);
  }

  @Test
  void theXminHorizonCounterExampleKeepsItsOrder() {
    // B (older xid) writes an order row; C stays open; A updates X and commits; B updates X after
    // A. Claiming below xmin would publish B's event first; the frontier publishes A's first.
    Database db = new Database();
    long b = db.begin();
    db.insert(b, "order-row-is-not-an-event");
    long c = db.begin();
    long a = db.begin();
    db.insert(a, "X");
    db.commit(a);
    db.insert(b, "X");
    db.commit(b);

    claimOnce(db, Frontier.START, 10);
    db.commit(c);

    assertHappensBeforeOrder(db, 0);
    assertThat(db.published.stream().filter(row -> row.key().equals("X")).map(Row::xid))
        .containsExactly(a, b);
  }

  @Test
  void aFullBatchOfStragglersKeepsTheOldSnapshotUntilTheyAreThrough() {
    Database db = new Database();
    long bulk = db.begin();
    for (int i = 0; i < 5; i++) {
      db.insert(bulk, "bulk-" + i);
    }
    long small = db.begin();
    db.insert(small, "small");
    db.commit(small);
    Frontier frontier = claimOnce(db, Frontier.START, 2);
    assertThat(frontier.cursor()).isEqualTo(6);
    db.commit(bulk);

    frontier = claimOnce(db, frontier, 2);
    assertThat(frontier.floor()).isEqualTo(2);
    assertThat(frontier.cursor()).isEqualTo(6);
    frontier = claimOnce(db, frontier, 2);
    frontier = claimOnce(db, frontier, 2);

    assertThat(db.published.stream().map(Row::seq)).containsExactly(6L, 1L, 2L, 3L, 4L, 5L);
    assertThat(frontier.floor()).as("caught up").isEqualTo(frontier.cursor());
  }

  @Test
  void reopenedRowsAreClaimedAgainInSeqOrderAmongTheRest() {
    Database db = new Database();
    long writer = db.begin();
    for (int i = 0; i < 4; i++) {
      db.insert(writer, "k");
    }
    db.commit(writer);
    Frontier frontier = claimOnce(db, Frontier.START, 10);
    db.claimed.remove(2L); // its send failed: it goes again
    db.claimed.remove(3L);
    frontier = frontier.reopen(new long[] {3, 2});
    long next = db.begin();
    db.insert(next, "k");
    db.commit(next);

    frontier = claimOnce(db, frontier, 10);

    assertThat(db.published.stream().map(Row::seq)).containsExactly(1L, 2L, 3L, 4L, 2L, 3L, 5L);
    assertThat(frontier.reopened()).isEmpty();
  }

  /**
   * For every two rows of one key where the first one's transaction committed before the second was
   * written: the first was published first.
   */
  private static void assertHappensBeforeOrder(Database db, long seed) {
    Map<Long, Integer> position = new HashMap<>();
    for (int i = 0; i < db.published.size(); i++) {
      position.putIfAbsent(db.published.get(i).seq(), i);
    }
    for (Row first : db.rows.values()) {
      for (Row second : db.rows.values()) {
        if (first.key().equals(second.key())
            && db.committedAt.get(first.xid()) < second.insertedAt()) {
          assertThat(position.get(first.seq()))
              .as("seed %d: row %d before row %d", seed, first.seq(), second.seq())
              .isLessThan(position.get(second.seq()));
        }
      }
    }
  }
}
