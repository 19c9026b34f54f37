package io.github.outboxrelay.relay.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.relay.MigratedOutbox;
import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention deletes only finished rows: with nothing written to published rows ({@code keep}), a
 * row is finished when the stored position leaves it out. Rows the position has still to publish
 * (above its cursor, reopened, stragglers), parked rows and young rows stay.
 */
class RetentionOfFinishedRowsIT {

  @RegisterExtension static final PostgresExtension postgres = MigratedOutbox.latest();

  private static final Duration AGE = Duration.ofDays(1);
  private final OutboxRepository repository = new OutboxRepository("outbox", PublishedRows.KEEP);

  @BeforeEach
  void empty() throws SQLException {
    postgres.execute("TRUNCATE outbox");
  }

  @Test
  void deletesOldRowsThePositionLeavesOutAndNothingItHasStillToPublish() throws SQLException {
    long published = insert("published", "2 days", null);
    long reopened = insert("reopened", "2 days", null);
    long straggler = insert("straggler", "2 days", null);
    long young = insert("young", "1 hour", null);
    long parked = insert("parked", "2 days", "now() - interval '2 days'");
    long beforeVersion2 = insert("before version 2", "2 days", null);
    long cursor = insert("at the cursor", "2 days", null);
    long above = insert("above the cursor", "2 days", null);
    long marked = insert("marked long ago", "3 days", null);
    postgres.execute(
        "UPDATE outbox SET txid = NULL WHERE seq = " + beforeVersion2,
        // Written by a transaction the stored position's snapshot did not see.
        "UPDATE outbox SET txid = '999999999'::xid8 WHERE seq = " + straggler,
        "UPDATE outbox SET published_at = now() - interval '2 days' WHERE seq = " + marked);
    Frontier.Snapshot seen = everythingCommitted();
    Frontier stored = new Frontier(cursor, seen, cursor, seen, new long[] {reopened});

    int deleted;
    try (Connection connection = postgres.dataSource().getConnection()) {
      deleted = repository.deleteFinishedOlderThan(connection, stored, AGE, 100);
    }

    assertThat(deleted).isEqualTo(4);
    assertThat(remaining()).containsExactly(reopened, straggler, young, parked, above);
    assertThat(List.of(published, beforeVersion2, cursor, marked))
        .doesNotContainAnyElementsOf(remaining());
  }

  @Test
  void deletesNoUnmarkedRowWhileNoPositionIsStored() throws SQLException {
    insert("old", "2 days", null);
    try (Connection connection = postgres.dataSource().getConnection()) {
      assertThat(repository.deleteFinishedOlderThan(connection, Frontier.START, AGE, 100)).isZero();
    }
  }

  @Test
  void deletesAtMostTheLimitOldestFirst() throws SQLException {
    long first = insert("first", "2 days", null);
    long second = insert("second", "2 days", null);
    long third = insert("third", "2 days", null);
    Frontier.Snapshot seen = everythingCommitted();
    Frontier stored = new Frontier(third, seen, third, seen, new long[0]);
    try (Connection connection = postgres.dataSource().getConnection()) {
      assertThat(repository.deleteFinishedOlderThan(connection, stored, AGE, 2)).isEqualTo(2);
    }
    assertThat(remaining()).containsExactly(third).doesNotContain(first, second);
  }

  /** A snapshot that saw every transaction committed so far. */
  private static Frontier.Snapshot everythingCommitted() throws SQLException {
    return new Frontier.Snapshot(
        postgres.queryForLong("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"),
        new long[0]);
  }

  private static long insert(String payload, String age, String parkedAt) throws SQLException {
    return postgres.queryForLong(
        "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, created_at,"
            + " parked_at) VALUES (gen_random_uuid(), 'order', 'o-1', 'OrderPlaced', 'orders',"
            + " convert_to(?, 'UTF8'), now() - ?::interval, "
            + (parkedAt == null ? "NULL" : parkedAt)
            + ") RETURNING seq",
        payload,
        age);
  }

  private static List<Long> remaining() throws SQLException {
    List<Long> seqs = new ArrayList<>();
    try (Connection connection = postgres.dataSource().getConnection();
        var rs = connection.createStatement().executeQuery("SELECT seq FROM outbox ORDER BY seq")) {
      while (rs.next()) {
        seqs.add(rs.getLong(1));
      }
    }
    return seqs;
  }
}
