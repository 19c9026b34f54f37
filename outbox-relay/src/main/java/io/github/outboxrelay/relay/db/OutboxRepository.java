package io.github.outboxrelay.relay.db;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.HeldRow;
import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The statements the relay runs on the outbox table's rows once they are claimed: what it records
 * about them (published, failed, parked), the operator's requeue, and retention. The claims and the
 * position are {@link FrontierQueries}. The caller owns the connection and its transaction; the
 * table name is validated before it is spliced into SQL and every value is a bound parameter.
 */
public final class OutboxRepository {

  private static final int MAX_ERROR_LENGTH = 2000;

  private final String table;
  private final String markSql; // null when nothing is written per published row

  public OutboxRepository(String table, PublishedRows published) {
    this.table = SqlIdentifiers.requireQualifiedTable(table, "outbox.table");
    // statement_timestamp(), not now(): the mark time, not the start of the claiming transaction.
    // Only the rows Kafka acknowledged are named, so a delete takes nothing else with it; this
    // relay's own claim holds them (by its cursor, or by row locks when every relay claims).
    this.markSql =
        switch (published) {
          case KEEP -> null; // the stored position alone says they are published
          case MARK ->
              "UPDATE " + table + " SET published_at = statement_timestamp() WHERE seq = ANY(?)";
          case DELETE -> "DELETE FROM " + table + " WHERE seq = ANY(?)";
        };
  }

  public String table() {
    return table;
  }

  /**
   * Records exactly these rows as published, in one set-based statement: marks them, deletes them,
   * or (with {@link PublishedRows#KEEP}) leaves them to the position stored after them.
   */
  public void markPublished(Connection connection, long[] seqs) throws SQLException {
    if (seqs.length == 0 || markSql == null) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(markSql)) {
      // pgjdbc binds a primitive long[] as int8[] directly: no boxing of a batch of seqs.
      statement.setObject(1, seqs);
      statement.executeUpdate();
    }
  }

  /**
   * Records failed deliveries: a failure that {@linkplain DeliveryFailure#countsTowardParking()
   * counts} adds an attempt and parks the row once it reaches {@code maxAttempts}; a transient one
   * only notes the error.
   *
   * @return the rows parked by this call
   */
  public List<ParkedEvent> recordFailures(
      Connection connection, List<DeliveryFailure> failures, int maxAttempts) throws SQLException {
    List<ParkedEvent> parked = new ArrayList<>();
    String countedSql =
        "UPDATE "
            + table
            + " SET attempts = coalesce(attempts, 0) + 1, last_error = ?,"
            // statement_timestamp(): when it was parked, not when its batch was claimed (now()),
            // which can be a send timeout earlier.
            + " parked_at = CASE WHEN coalesce(attempts, 0) + 1 >= ? THEN statement_timestamp()"
            + " END WHERE seq = ?"
            + " RETURNING seq, id, topic, aggregateid, type, attempts, last_error, parked_at";
    String transientSql = "UPDATE " + table + " SET last_error = ? WHERE seq = ?";
    try (PreparedStatement counted = connection.prepareStatement(countedSql);
        PreparedStatement transientFailure = connection.prepareStatement(transientSql)) {
      for (DeliveryFailure failure : failures) {
        String error = truncate(failure.error());
        if (failure.countsTowardParking()) {
          counted.setString(1, error);
          counted.setInt(2, failure.attemptsBeforeParking(maxAttempts));
          counted.setLong(3, failure.seq());
          try (ResultSet rs = counted.executeQuery()) {
            if (rs.next() && rs.getTimestamp(8) != null) {
              parked.add(ParkedEvents.read(rs));
            }
          }
        } else {
          transientFailure.setString(1, error);
          transientFailure.setLong(2, failure.seq());
          transientFailure.addBatch();
        }
      }
      transientFailure.executeBatch();
    }
    return parked;
  }

  /**
   * Holds {@code held}: parked too, so that no claim takes them, with what they wait for (the seq
   * of their key's parked event, or {@link Holds#PAUSED_TOPIC}).
   */
  public void hold(Connection connection, List<HeldRow> held) throws SQLException {
    if (held.isEmpty()) {
      return;
    }
    Map<Long, long[]> seqsByHolder =
        held.stream()
            .collect(
                Collectors.groupingBy(
                    HeldRow::heldBy,
                    Collectors.collectingAndThen(
                        Collectors.toList(),
                        rows -> rows.stream().mapToLong(HeldRow::seq).toArray())));
    lockHolders(connection, held);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + table
                + " SET parked_at = statement_timestamp(), held_by = ? WHERE seq = ANY(?)")) {
      for (Map.Entry<Long, long[]> entry : seqsByHolder.entrySet()) {
        statement.setLong(1, entry.getKey());
        statement.setObject(2, entry.getValue());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /**
   * Locks what rows are about to be held by (parked events, pauses), so that a requeue, skip or
   * resume waits for this transaction and then releases its rows too. If one was released
   * meanwhile, the rows must not be held: under repeatable read PostgreSQL refuses the lock (a
   * serialization failure); under read committed it no longer qualifies. Either way the batch fails
   * and its rows are claimed again.
   */
  private void lockHolders(Connection connection, List<HeldRow> held) throws SQLException {
    long[] parked =
        held.stream()
            .mapToLong(HeldRow::heldBy)
            .filter(by -> by != Holds.PAUSED_TOPIC)
            .distinct()
            .toArray();
    String[] pausedTopics =
        held.stream()
            .filter(row -> row.heldBy() == Holds.PAUSED_TOPIC)
            .map(HeldRow::topic)
            .distinct()
            .toArray(String[]::new);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT (SELECT count(*) FROM (SELECT seq FROM "
                + table
                + " WHERE seq = ANY(?) AND "
                + FrontierQueries.HOLDING
                + " FOR SHARE) p), (SELECT count(*) FROM (SELECT topic FROM "
                + table
                + "_relay_pause WHERE topic = ANY(?) FOR SHARE) t)")) {
      statement.setObject(1, parked);
      statement.setArray(2, connection.createArrayOf("text", pausedTopics));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        if (rs.getInt(1) != parked.length || rs.getInt(2) != pausedTopics.length) {
          throw new SQLException(
              "a parked event was requeued or skipped, or a topic resumed, while rows were held"
                  + " by it; the batch goes again",
              "40001");
        }
      }
    }
  }

  /**
   * Deletes up to {@code limit} of the oldest finished rows older than {@code age} (by the
   * database's clock): rows marked published that long ago, and unmarked rows written that long ago
   * that {@code stored}, the relay's stored position, leaves out (published, with {@link
   * PublishedRows#KEEP}). Parked rows and rows still to publish are never deleted. Walking the
   * primary key from the low end finds old rows first without another index on the hot table.
   *
   * @return how many rows were deleted
   */
  public int deleteFinishedOlderThan(
      Connection connection, Frontier stored, Duration age, int limit) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "DELETE FROM "
                + table
                + " WHERE seq IN (SELECT seq FROM "
                + table
                + " WHERE parked_at IS NULL"
                + " AND coalesce(published_at, created_at)"
                + " < clock_timestamp() - ? * interval '1 millisecond'"
                + " AND (published_at IS NOT NULL OR (seq <= ? AND seq <> ALL(?)"
                // A row the stored position has still to publish is a straggler of its snapshots;
                // a row from before version 2 (no txid) was claimed from the start of the table.
                + " AND NOT coalesce(CASE WHEN seq <= ? THEN "
                + FrontierSql.UNSEEN
                + " ELSE "
                + FrontierSql.UNSEEN
                + " END, false)))"
                + " ORDER BY seq LIMIT ?)")) {
      int i = 0;
      statement.setLong(++i, age.toMillis());
      statement.setLong(++i, stored.cursor());
      statement.setObject(++i, stored.reopened());
      statement.setLong(++i, stored.floor());
      i = FrontierSql.bind(statement, i, stored.latest());
      i = FrontierSql.bind(statement, i, stored.older());
      statement.setInt(++i, limit);
      return statement.executeUpdate();
    }
  }

  static String truncate(String error) {
    if (error == null) {
      return null;
    }
    return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
  }
}
