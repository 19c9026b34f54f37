package io.github.outboxrelay.relay.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.relay.core.OrderingKey;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements that claim from a {@link Frontier} and keep the relay's position: what is waiting,
 * where the claims have got to, and the claims themselves. The caller owns the connection and its
 * transaction; the table name is validated, every value bound.
 */
public final class FrontierQueries {

  /** Rows neither published nor parked. */
  static final String UNFINISHED = "published_at IS NULL AND parked_at IS NULL";

  /**
   * Parked events that hold their keys: parked on their own (not held behind another), not skipped.
   * Read through the {@code _holding_idx} partial index, empty while nothing is parked.
   */
  static final String HOLDING = "parked_at IS NOT NULL AND held_by IS NULL AND skipped_at IS NULL";

  private final String table;
  private final OutboxRowReader rows;
  private final ObjectMapper json;
  private final String claimSql;
  private final String snapshotAndHoldsSql;
  private final String holdsSql;

  public FrontierQueries(String table, ObjectMapper json) {
    this.table = SqlIdentifiers.requireQualifiedTable(table, "outbox.table");
    this.json = json;
    this.rows = new OutboxRowReader(json);
    this.claimSql = claimSql(this.table);
    String holdsJson =
        "SELECT json_build_object('parked', (SELECT json_agg(json_build_array(seq, topic,"
            + " aggregateid)) FROM "
            + this.table
            + " WHERE "
            + HOLDING
            + "), 'paused', (SELECT json_agg(topic) FROM "
            + this.table
            + "_relay_pause))::text";
    this.snapshotAndHoldsSql =
        "SELECT pg_snapshot_xmax(s)::text, ARRAY(SELECT pg_snapshot_xip(s))::text, ("
            + holdsJson
            + ") FROM pg_current_snapshot() s";
    this.holdsSql = holdsJson;
  }

  /**
   * What a claim from a frontier returned, the snapshot it saw them in and what held rows back
   * then. With everything paused nothing was claimed: the snapshot is null.
   */
  public record FrontierClaim(List<OutboxRow> rows, Frontier.Snapshot snapshot, Holds held) {

    public boolean claimed() {
      return snapshot != null;
    }
  }

  /** What holds rows back now: the keys parked events hold, and the paused topics. */
  public Holds holds(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(holdsSql);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return holds(rs.getString(1));
    }
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  /**
   * The holds from {@code {"parked": [[seq, topic, aggregateid], ...], "paused": [topic, ...]}},
   * either list null when empty.
   */
  private Holds holds(String jsonObject) throws SQLException {
    Map<OrderingKey, Long> parkedSeqByKey = new HashMap<>();
    Set<String> pausedTopics = new HashSet<>();
    try {
      JsonNode holds = json.readTree(jsonObject);
      if (holds.path("parked").isNull() && holds.path("paused").isNull()) {
        return Holds.NONE; // the usual case
      }
      for (JsonNode parked : holds.path("parked")) {
        parkedSeqByKey.merge(
            new OrderingKey(textOrNull(parked.get(1)), textOrNull(parked.get(2))),
            parked.get(0).asLong(),
            Math::min);
      }
      for (JsonNode topic : holds.path("paused")) {
        pausedTopics.add(topic.asText());
      }
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable list of parked events and pauses from PostgreSQL", e);
    }
    return new Holds(parkedSeqByKey, pausedTopics);
  }

  /**
   * Returns, without locking them, up to {@code limit} of the rows {@code frontier} has still to
   * publish, in sequence order, with the snapshot that saw them. Call it in a repeatable-read
   * transaction, so that both statements see the same snapshot. See {@link Frontier}.
   */
  public FrontierClaim claim(Connection connection, Frontier frontier, int limit)
      throws SQLException {
    // The transaction's first statement fixes its snapshot: the holds are read in it too, in the
    // same round trip, so a requeue or resume is seen by exactly the claims that see its released
    // rows.
    Frontier.Snapshot snapshot;
    Holds held;
    try (PreparedStatement statement = connection.prepareStatement(snapshotAndHoldsSql);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      snapshot =
          new Frontier.Snapshot(
              Long.parseLong(rs.getString(1)), FrontierSql.longs(rs.getString(2)));
      held = holds(rs.getString(3));
    }
    if (held.everythingPaused()) {
      return new FrontierClaim(List.of(), null, held);
    }
    List<OutboxRow> claimed = new ArrayList<>(limit);
    try (PreparedStatement statement = connection.prepareStatement(claimSql)) {
      int i = 0;
      statement.setLong(++i, frontier.floor()); // stragglers unseen by the latest snapshot
      i = FrontierSql.bind(statement, i, frontier.latest());
      statement.setInt(++i, limit);
      statement.setLong(++i, frontier.floor()); // stragglers unseen by the older snapshot
      statement.setLong(++i, frontier.cursor());
      i = FrontierSql.bind(statement, i, frontier.older());
      statement.setInt(++i, limit);
      statement.setObject(++i, frontier.reopened()); // rows to claim again
      statement.setInt(++i, limit);
      statement.setLong(++i, frontier.cursor()); // rows above the cursor
      statement.setInt(++i, limit);
      statement.setInt(++i, limit);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          claimed.add(rows.read(rs));
        }
      }
    }
    return new FrontierClaim(claimed, snapshot, held);
  }

  /**
   * Four index-friendly branches, each in seq order and limited, merged: the stragglers read the
   * {@code txid} index (bound values, so the planner sees that {@code txid >= xmax} matches almost
   * nothing), the rest the primary key. DISTINCT ON drops a reopened row that is also a straggler.
   */
  private static String claimSql(String table) {
    String select = "(SELECT " + OutboxRowReader.COLUMNS + " FROM " + table;
    String where = " WHERE " + UNFINISHED + " AND ";
    String order = " ORDER BY seq LIMIT ?)";
    return "SELECT DISTINCT ON (seq) * FROM ("
        + (select + where + "seq <= ? AND " + FrontierSql.UNSEEN + order)
        + " UNION ALL "
        + (select + where + "seq > ? AND seq <= ? AND " + FrontierSql.UNSEEN + order)
        + " UNION ALL "
        + (select + where + "seq = ANY(?)" + order)
        + " UNION ALL "
        + (select + where + "seq > ?" + order)
        + ") claimed ORDER BY seq LIMIT ?";
  }

  /**
   * Rows waiting to be published (parked rows excluded), as of the stored frontier: the rows above
   * its cursor, its stragglers and its reopened rows, read through the indexes, never the history.
   */
  public long pendingCount(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            waiting(connection, loadFrontier(connection), "SELECT count(*) FROM (", ") w");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * How long the oldest waiting row has waited, measured by the database's clock (so the relay's
   * clock cannot skew it); zero when nothing waits.
   */
  public Duration oldestPendingAge(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            waiting(
                connection,
                loadFrontier(connection),
                "SELECT (EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)) * 1000)::bigint"
                    + " FROM (",
                ") w");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      long millis = rs.getLong(1);
      return rs.wasNull() ? Duration.ZERO : Duration.ofMillis(Math.max(0, millis));
    }
  }

  /**
   * The rows {@code frontier} has still to publish, wrapped in {@code prefix} and {@code suffix}:
   * the branches of the claim, each on its index, without locks or limits, values bound.
   */
  private PreparedStatement waiting(
      Connection connection, Frontier frontier, String prefix, String suffix) throws SQLException {
    String select = "SELECT seq, created_at FROM " + table + " WHERE " + UNFINISHED + " AND ";
    PreparedStatement statement =
        connection.prepareStatement(
            prefix
                + (select + "seq > ?")
                + " UNION ALL "
                + (select + "seq <= ? AND " + FrontierSql.UNSEEN)
                + " UNION ALL "
                + (select + "seq > ? AND seq <= ? AND " + FrontierSql.UNSEEN)
                + " UNION ALL "
                + (select + "seq = ANY(?)")
                + suffix);
    int i = 0;
    statement.setLong(++i, frontier.cursor());
    statement.setLong(++i, frontier.floor());
    i = FrontierSql.bind(statement, i, frontier.latest());
    statement.setLong(++i, frontier.floor());
    statement.setLong(++i, frontier.cursor());
    i = FrontierSql.bind(statement, i, frontier.older());
    statement.setObject(++i, frontier.reopened());
    return statement;
  }

  /** Where the relay's position is stored, beside the outbox table. */
  private String positionTable() {
    return table + "_relay_position";
  }

  /** The stored frontier, or {@link Frontier#START} if none is stored yet. */
  public Frontier loadFrontier(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT cursor_seq, latest_xmax::text, latest_xip::text, floor_seq,"
                    + " older_xmax::text, older_xip::text, reopened::text FROM "
                    + positionTable());
        ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        return Frontier.START;
      }
      return new Frontier(
          rs.getLong(1),
          new Frontier.Snapshot(
              Long.parseLong(rs.getString(2)), FrontierSql.longs(rs.getString(3))),
          rs.getLong(4),
          new Frontier.Snapshot(
              Long.parseLong(rs.getString(5)), FrontierSql.longs(rs.getString(6))),
          FrontierSql.longs(rs.getString(7)));
    }
  }

  /** Stores the frontier, in the caller's transaction. */
  public void saveFrontier(Connection connection, Frontier frontier) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO "
                + positionTable()
                + " (cursor_seq, latest_xmax, latest_xip, floor_seq, older_xmax, older_xip,"
                + " reopened, updated_at) VALUES (?, ?::xid8, ?::xid8[], ?, ?::xid8, ?::xid8[], ?,"
                + " statement_timestamp()) ON CONFLICT (singleton) DO UPDATE SET"
                + " cursor_seq = excluded.cursor_seq, latest_xmax = excluded.latest_xmax,"
                + " latest_xip = excluded.latest_xip, floor_seq = excluded.floor_seq,"
                + " older_xmax = excluded.older_xmax, older_xip = excluded.older_xip,"
                + " reopened = excluded.reopened, updated_at = excluded.updated_at")) {
      int i = 0;
      statement.setLong(++i, frontier.cursor());
      i = FrontierSql.bind(statement, i, frontier.latest());
      statement.setLong(++i, frontier.floor());
      i = FrontierSql.bind(statement, i, frontier.older());
      statement.setObject(++i, frontier.reopened());
      statement.executeUpdate();
    }
  }

  /**
   * For relays that all claim ({@code outbox.exclusive: false}): locks and returns up to {@code
   * limit} rows {@code low} has still to publish, skipping rows other relays hold, in sequence
   * order. {@code low} must leave out only rows that are published or parked (see {@link
   * #lowFrontier}); the row locks keep this relay's batches in flight apart.
   */
  public List<OutboxRow> claimLocked(Connection connection, Frontier low, int limit)
      throws SQLException {
    String select = "SELECT " + OutboxRowReader.COLUMNS + " FROM " + table;
    String where = " WHERE " + UNFINISHED + " AND ";
    String lockedInOrder = " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED";
    String sql =
        ("WITH above AS (" + select + where + "seq > ?" + lockedInOrder + "),")
            + (" stragglers AS (" + select + where + "seq <= ? AND " + FrontierSql.UNSEEN)
            + (lockedInOrder + ")")
            + " SELECT * FROM (SELECT * FROM stragglers UNION ALL SELECT * FROM above) c"
            + " ORDER BY seq LIMIT ?";
    List<OutboxRow> claimed = new ArrayList<>(limit);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int i = 0;
      statement.setLong(++i, low.cursor());
      statement.setInt(++i, limit);
      statement.setLong(++i, low.cursor());
      i = FrontierSql.bind(statement, i, low.latest());
      statement.setInt(++i, limit);
      statement.setInt(++i, limit);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          claimed.add(rows.read(rs));
        }
      }
    }
    return claimed;
  }

  /**
   * A frontier below which every row is published or parked, moved up from {@code low}: the first
   * row still to publish (claimed elsewhere or not), seen by a snapshot taken before the search, so
   * that a row that commits during it is a straggler of the new frontier. Walks the primary key
   * from {@code low}'s cursor over what was published since.
   */
  public Frontier lowFrontier(Connection connection, Frontier low) throws SQLException {
    Frontier.Snapshot before = FrontierSql.currentSnapshot(connection);
    String firstWaiting = "SELECT min(seq) FROM " + table + " WHERE " + UNFINISHED + " AND ";
    try (PreparedStatement statement =
        connection.prepareStatement(
            ("SELECT least((" + firstWaiting + "seq > ?),")
                + (" (" + firstWaiting + "seq <= ? AND " + FrontierSql.UNSEEN + ")),")
                + (" (SELECT max(seq) FROM " + table + ")"))) {
      int i = 0;
      statement.setLong(++i, low.cursor());
      statement.setLong(++i, low.cursor());
      FrontierSql.bind(statement, i, low.latest());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        long first = rs.getLong(1);
        boolean anyWaiting = !rs.wasNull();
        long last = rs.getLong(2);
        long cursor = anyWaiting ? first - 1 : Math.max(low.cursor(), last);
        return new Frontier(cursor, before, cursor, before, new long[0]);
      }
    }
  }
}
