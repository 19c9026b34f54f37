package io.github.outboxrelay.relay.db;

import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What an operator sees and does with parked events: each holds its key, and the events held behind
 * it wait for it. Lists, counts, requeues and skips; the relay itself parks and holds rows through
 * {@link OutboxRepository}. The caller owns the connection and its transaction; the table name is
 * validated, every value bound.
 */
public final class ParkedEvents {

  private final String table;

  public ParkedEvents(String table) {
    this.table = SqlIdentifiers.requireQualifiedTable(table, "outbox.table");
  }

  /** Events parked on their own (each holds its key), not skipped. */
  public long parkedCount(Connection connection) throws SQLException {
    return queryLong(
        connection, "SELECT count(*) FROM " + table + " WHERE " + FrontierQueries.HOLDING);
  }

  /** Events held behind a parked event of their key. */
  public long heldCount(Connection connection) throws SQLException {
    return queryLong(connection, "SELECT count(*) FROM " + table + " WHERE held_by IS NOT NULL");
  }

  /** Parked events that hold their keys (not those held behind them), oldest first. */
  public List<ParkedEvent> listParked(Connection connection, int limit) throws SQLException {
    return list(connection, new Filter(null, null, 0, limit)).stream().map(Parked::event).toList();
  }

  /** Which parked events to list: of one topic and/or key (null: any), after a seq, how many. */
  public record Filter(String topic, String key, long afterSeq, int limit) {}

  /** A parked event, and how many events its key holds behind it. */
  public record Parked(ParkedEvent event, long heldEvents) {}

  /** Parked events that hold their keys, oldest first, from {@code afterSeq} on. */
  public List<Parked> list(Connection connection, Filter filter) throws SQLException {
    List<Parked> parked = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT p.*, (SELECT count(*) FROM "
                + table
                + " h WHERE h.held_by = p.seq) FROM (SELECT seq, id, topic, aggregateid, type,"
                + " attempts, last_error, parked_at FROM "
                + table
                + " WHERE "
                + FrontierQueries.HOLDING
                + " AND seq > ? AND (?::text IS NULL OR topic = ?)"
                + " AND (?::text IS NULL OR aggregateid = ?) ORDER BY seq LIMIT ?) p"
                + " ORDER BY p.seq")) {
      statement.setLong(1, filter.afterSeq());
      statement.setString(2, filter.topic());
      statement.setString(3, filter.topic());
      statement.setString(4, filter.key());
      statement.setString(5, filter.key());
      statement.setInt(6, filter.limit());
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          parked.add(new Parked(read(rs), rs.getLong(9)));
        }
      }
    }
    return parked;
  }

  /** Where one event stands, for telling an operator why it cannot be requeued or skipped. */
  public enum Standing {
    /** Parked, holding its key: it can be requeued or skipped. */
    PARKED,
    /** Held behind another parked event of its key ({@code behind}). */
    HELD,
    /** Parked, and skipped by an operator. */
    SKIPPED,
    /** Waiting to be published, or published. */
    NOT_PARKED
  }

  /** An event's standing, and the parked event it waits behind when it is held. */
  public record EventStanding(Standing standing, UUID behind) {}

  /** Where the event {@code id} stands; empty if there is none. */
  public Optional<EventStanding> standing(Connection connection, UUID id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT e.parked_at IS NOT NULL, e.held_by IS NOT NULL, e.skipped_at IS NOT NULL, h.id"
                + " FROM "
                + table
                + " e LEFT JOIN "
                + table
                + " h ON h.seq = e.held_by WHERE e.id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Standing standing;
        if (!rs.getBoolean(1)) {
          standing = Standing.NOT_PARKED;
        } else if (rs.getBoolean(2)) {
          standing = Standing.HELD;
        } else if (rs.getBoolean(3)) {
          standing = Standing.SKIPPED;
        } else {
          standing = Standing.PARKED;
        }
        return Optional.of(new EventStanding(standing, rs.getObject(4, UUID.class)));
      }
    }
  }

  /** What a requeue or a skip changed: parked events, and the held events they released. */
  public record Released(int parked, int held) {}

  /**
   * Returns parked events to the queue with a fresh attempt count, and with each the events held
   * behind it, which follow it in write order: one event (by id), or all when {@code id} is empty.
   * An id of an event held behind another requeues nothing: it must not pass its parked event. Call
   * it in a read-committed transaction: see {@link #lockParked}.
   */
  public Released requeueParked(Connection connection, Optional<UUID> id) throws SQLException {
    return release(
        connection,
        id.isPresent()
            ? lockParked(connection, " AND id = ?", id.get())
            : lockParked(connection, ""));
  }

  /** Requeues the parked event of one key (topic and aggregate id), with the events it holds. */
  public Released requeueKey(Connection connection, String topic, String key) throws SQLException {
    return release(
        connection, lockParked(connection, " AND topic = ? AND aggregateid = ?", topic, key));
  }

  private Released release(Connection connection, long[] parked) throws SQLException {
    // A new txid makes each row a straggler of the relay's frontier: claimed again, in seq order.
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + table
                + " SET parked_at = NULL, held_by = NULL, txid = pg_current_xact_id(),"
                + " attempts = CASE WHEN held_by IS NULL THEN 0 ELSE attempts END"
                + " WHERE seq = ANY(?) OR held_by = ANY(?)")) {
      statement.setObject(1, parked);
      statement.setObject(2, parked);
      int rows = statement.executeUpdate();
      return new Released(parked.length, rows - parked.length);
    }
  }

  /**
   * Gives up on one parked event on purpose: it stays parked, never published, with who skipped it,
   * when and why, and the events held behind it go on without it. Call it in a read-committed
   * transaction: see {@link #lockParked}.
   *
   * @return nothing released if {@code id} is not an event parked on its own and not skipped
   */
  public Released skipParked(Connection connection, UUID id, String skippedBy, String reason)
      throws SQLException {
    long[] parked = lockParked(connection, " AND id = ?", id);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "WITH skipped AS (UPDATE "
                + table
                + " SET skipped_at = statement_timestamp(), skipped_by = ?, skip_reason = ?"
                + " WHERE seq = ANY(?) RETURNING seq), released AS (UPDATE "
                + table
                + " SET parked_at = NULL, held_by = NULL, txid = pg_current_xact_id()"
                + " WHERE held_by = ANY(?) RETURNING held_by)"
                + " SELECT (SELECT count(*) FROM skipped), (SELECT count(*) FROM released)")) {
      statement.setString(1, skippedBy);
      statement.setString(2, OutboxRepository.truncate(reason));
      statement.setObject(3, parked);
      statement.setObject(4, parked);
      return released(statement);
    }
  }

  /**
   * Locks the parked events that hold their keys (one, or all), and returns their seqs. A batch
   * that holds rows behind a parked event locks it first ({@link #hold}), so the lock orders the
   * two: once it is ours, every row held behind it is committed, and the next statement (a new
   * snapshot under read committed) releases them all.
   */
  private long[] lockParked(Connection connection, String condition, Object... values)
      throws SQLException {
    List<Long> seqs = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT seq FROM "
                + table
                + " WHERE "
                + FrontierQueries.HOLDING
                + condition
                + " ORDER BY seq FOR UPDATE")) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
        }
      }
    }
    return seqs.stream().mapToLong(Long::longValue).toArray();
  }

  private static Released released(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      rs.next();
      return new Released(rs.getInt(1), rs.getInt(2));
    }
  }

  static ParkedEvent read(ResultSet rs) throws SQLException {
    return new ParkedEvent(
        rs.getLong(1),
        rs.getObject(2, UUID.class),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        rs.getString(7),
        rs.getTimestamp(8).toInstant());
  }

  private static long queryLong(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
