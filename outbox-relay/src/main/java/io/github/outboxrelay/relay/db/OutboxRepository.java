package io.github.outboxrelay.relay.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every statement the relay runs against the outbox table, in one place. The caller owns the
 * connection and its transaction; the table name is validated before it is spliced into SQL and
 * every value is a bound parameter.
 */
public final class OutboxRepository {

  private static final String PENDING = "published_at IS NULL AND parked_at IS NULL";
  private static final int MAX_ERROR_LENGTH = 2000;

  private final String table;
  private final ObjectMapper json;
  private final String markSql;
  private final String frontierClaimSql;

  /** A repository that marks published rows ({@link PublishedRows#MARK}). */
  public OutboxRepository(String table, ObjectMapper json) {
    this(table, json, PublishedRows.MARK);
  }

  public OutboxRepository(String table, ObjectMapper json, PublishedRows published) {
    this.table = SqlIdentifiers.requireQualifiedTable(table, "outbox.table");
    this.json = json;
    this.frontierClaimSql = frontierClaimSql(table);
    // statement_timestamp(), not now(): the mark time, not the start of the claiming transaction.
    // Only the rows Kafka acknowledged are named, so a delete takes nothing else with it; this
    // relay's own claim holds them (by its cursor, or by row locks when every relay claims).
    this.markSql =
        switch (published) {
          case MARK ->
              "UPDATE " + table + " SET published_at = statement_timestamp() WHERE seq = ANY(?)";
          case DELETE -> "DELETE FROM " + table + " WHERE seq = ANY(?)";
        };
  }

  public String table() {
    return table;
  }

  /** What a claim from a frontier returned, and the snapshot it saw them in. */
  public record FrontierClaim(List<OutboxRow> rows, Frontier.Snapshot snapshot) {}

  /**
   * Returns, without locking them, up to {@code limit} of the rows {@code frontier} has still to
   * publish, in sequence order, with the snapshot that saw them. Call it in a repeatable-read
   * transaction, so that both statements see the same snapshot. See {@link Frontier}.
   */
  public FrontierClaim claim(Connection connection, Frontier frontier, int limit)
      throws SQLException {
    Frontier.Snapshot snapshot = currentSnapshot(connection);
    List<OutboxRow> rows = new ArrayList<>(limit);
    try (PreparedStatement statement = connection.prepareStatement(frontierClaimSql)) {
      int i = 0;
      statement.setLong(++i, frontier.floor()); // stragglers unseen by the latest snapshot
      statement.setString(++i, Long.toString(frontier.latest().xmax()));
      statement.setString(++i, text(frontier.latest().xip()));
      statement.setInt(++i, limit);
      statement.setLong(++i, frontier.floor()); // stragglers unseen by the older snapshot
      statement.setLong(++i, frontier.cursor());
      statement.setString(++i, Long.toString(frontier.older().xmax()));
      statement.setString(++i, text(frontier.older().xip()));
      statement.setInt(++i, limit);
      statement.setObject(++i, frontier.reopened()); // rows to claim again
      statement.setInt(++i, limit);
      statement.setLong(++i, frontier.cursor()); // rows above the cursor
      statement.setInt(++i, limit);
      statement.setInt(++i, limit);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
    }
    return new FrontierClaim(rows, snapshot);
  }

  /**
   * Four index-friendly branches, each in seq order and limited, merged: the stragglers read the
   * {@code txid} index (bound values, so the planner sees that {@code txid >= xmax} matches almost
   * nothing), the rest the primary key. DISTINCT ON drops a reopened row that is also a straggler.
   */
  private static String frontierClaimSql(String table) {
    String columns =
        "seq, id, aggregatetype, aggregateid, type, topic, payload, headers::text, attempts";
    String from = " FROM " + table + " WHERE " + PENDING + " AND ";
    String order = " ORDER BY seq LIMIT ?)";
    return "SELECT DISTINCT ON (seq) * FROM ("
        + "(SELECT "
        + columns
        + from
        + "seq <= ? AND (txid >= ?::xid8 OR txid = ANY(?::xid8[]))"
        + order
        + " UNION ALL (SELECT "
        + columns
        + from
        + "seq > ? AND seq <= ? AND (txid >= ?::xid8 OR txid = ANY(?::xid8[]))"
        + order
        + " UNION ALL (SELECT "
        + columns
        + from
        + "seq = ANY(?)"
        + order
        + " UNION ALL (SELECT "
        + columns
        + from
        + "seq > ?"
        + order
        + ") claimed ORDER BY seq LIMIT ?";
  }

  private static long[] longs(String arrayText) {
    String inner = arrayText.substring(1, arrayText.length() - 1);
    return inner.isEmpty()
        ? new long[0]
        : java.util.Arrays.stream(inner.split(",")).mapToLong(Long::parseLong).toArray();
  }

  private static String text(long[] values) {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      text.append(i == 0 ? "" : ",").append(values[i]);
    }
    return text.append('}').toString();
  }

  /**
   * Records exactly these rows as published, in one set-based statement: marks them, or deletes
   * them, as {@link PublishedRows} was chosen.
   */
  public void markPublished(Connection connection, long[] seqs) throws SQLException {
    if (seqs.length == 0) {
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
              parked.add(parkedEvent(rs));
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
    String select = "SELECT seq, created_at FROM " + table + " WHERE " + PENDING + " AND ";
    PreparedStatement statement =
        connection.prepareStatement(
            prefix
                + select
                + "seq > ?"
                + " UNION ALL "
                + select
                + "seq <= ? AND (txid >= ?::xid8 OR txid = ANY(?::xid8[]))"
                + " UNION ALL "
                + select
                + "seq > ? AND seq <= ? AND (txid >= ?::xid8 OR txid = ANY(?::xid8[]))"
                + " UNION ALL "
                + select
                + "seq = ANY(?)"
                + suffix);
    int i = 0;
    statement.setLong(++i, frontier.cursor());
    statement.setLong(++i, frontier.floor());
    statement.setString(++i, Long.toString(frontier.latest().xmax()));
    statement.setString(++i, text(frontier.latest().xip()));
    statement.setLong(++i, frontier.floor());
    statement.setLong(++i, frontier.cursor());
    statement.setString(++i, Long.toString(frontier.older().xmax()));
    statement.setString(++i, text(frontier.older().xip()));
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
          new Frontier.Snapshot(Long.parseLong(rs.getString(2)), longs(rs.getString(3))),
          rs.getLong(4),
          new Frontier.Snapshot(Long.parseLong(rs.getString(5)), longs(rs.getString(6))),
          longs(rs.getString(7)));
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
      statement.setLong(1, frontier.cursor());
      statement.setString(2, Long.toString(frontier.latest().xmax()));
      statement.setString(3, text(frontier.latest().xip()));
      statement.setLong(4, frontier.floor());
      statement.setString(5, Long.toString(frontier.older().xmax()));
      statement.setString(6, text(frontier.older().xip()));
      statement.setObject(7, frontier.reopened());
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
    String columns =
        "seq, id, aggregatetype, aggregateid, type, topic, payload, headers::text, attempts";
    String sql =
        "WITH above AS (SELECT "
            + columns
            + " FROM "
            + table
            + " WHERE "
            + PENDING
            + " AND seq > ? ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED),"
            + " stragglers AS (SELECT "
            + columns
            + " FROM "
            + table
            + " WHERE "
            + PENDING
            + " AND seq <= ? AND (txid >= ?::xid8 OR txid = ANY(?::xid8[]))"
            + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " SELECT * FROM (SELECT * FROM stragglers UNION ALL SELECT * FROM above) c"
            + " ORDER BY seq LIMIT ?";
    List<OutboxRow> rows = new ArrayList<>(limit);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, low.cursor());
      statement.setInt(2, limit);
      statement.setLong(3, low.cursor());
      statement.setString(4, Long.toString(low.latest().xmax()));
      statement.setString(5, text(low.latest().xip()));
      statement.setInt(6, limit);
      statement.setInt(7, limit);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
    }
    return rows;
  }

  /**
   * A frontier below which every row is published or parked, moved up from {@code low}: the first
   * row still to publish (claimed elsewhere or not), seen by a snapshot taken before the search, so
   * that a row that commits during it is a straggler of the new frontier. Walks the primary key
   * from {@code low}'s cursor over what was published since.
   */
  public Frontier lowFrontier(Connection connection, Frontier low) throws SQLException {
    Frontier.Snapshot before = currentSnapshot(connection);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT least((SELECT min(seq) FROM "
                + table
                + " WHERE "
                + PENDING
                + " AND seq > ?), (SELECT min(seq) FROM "
                + table
                + " WHERE "
                + PENDING
                + " AND seq <= ? AND (txid >= ?::xid8 OR txid = ANY(?::xid8[])))),"
                + " (SELECT max(seq) FROM "
                + table
                + ")")) {
      statement.setLong(1, low.cursor());
      statement.setLong(2, low.cursor());
      statement.setString(3, Long.toString(low.latest().xmax()));
      statement.setString(4, text(low.latest().xip()));
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

  private static Frontier.Snapshot currentSnapshot(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pg_snapshot_xmax(s)::text, ARRAY(SELECT pg_snapshot_xip(s))::text"
                    + " FROM pg_current_snapshot() s");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return new Frontier.Snapshot(Long.parseLong(rs.getString(1)), longs(rs.getString(2)));
    }
  }

  public long parkedCount(Connection connection) throws SQLException {
    return queryLong(connection, "SELECT count(*) FROM " + table + " WHERE parked_at IS NOT NULL");
  }

  /** Parked rows, oldest first. */
  public List<ParkedEvent> listParked(Connection connection, int limit) throws SQLException {
    List<ParkedEvent> parked = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT seq, id, topic, aggregateid, type, attempts, last_error, parked_at FROM "
                + table
                + " WHERE parked_at IS NOT NULL ORDER BY seq LIMIT ?")) {
      statement.setInt(1, limit);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          parked.add(parkedEvent(rs));
        }
      }
    }
    return parked;
  }

  /**
   * Returns parked rows to the queue with a fresh attempt count: one event, or all when {@code id}
   * is empty.
   *
   * @return how many rows were requeued
   */
  public int requeueParked(Connection connection, Optional<UUID> id) throws SQLException {
    String sql =
        "UPDATE "
            + table
            // A new txid makes the row a straggler of the relay's frontier: claimed again.
            + " SET parked_at = NULL, attempts = 0, txid = pg_current_xact_id()"
            + " WHERE parked_at IS NOT NULL"
            + (id.isPresent() ? " AND id = ?" : "");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (id.isPresent()) {
        statement.setObject(1, id.get());
      }
      return statement.executeUpdate();
    }
  }

  /**
   * Deletes up to {@code limit} of the oldest rows published longer than {@code age} ago (by the
   * database's clock). Walking the primary key from the low end finds old rows first without
   * another index on the hot table.
   *
   * @return how many rows were deleted
   */
  public int deletePublishedOlderThan(Connection connection, Duration age, int limit)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "DELETE FROM "
                + table
                + " WHERE seq IN (SELECT seq FROM "
                + table
                + " WHERE published_at < clock_timestamp() - ? * interval '1 millisecond'"
                + " ORDER BY seq LIMIT ?)")) {
      statement.setLong(1, age.toMillis());
      statement.setInt(2, limit);
      return statement.executeUpdate();
    }
  }

  private static ParkedEvent parkedEvent(ResultSet rs) throws SQLException {
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

  private OutboxRow row(ResultSet rs) throws SQLException {
    Map<String, String> headers = Map.of();
    String defect = null;
    String headersText = rs.getString(8);
    if (headersText != null) {
      try {
        headers = headers(json.readTree(headersText));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        defect = "headers must be a JSON object of strings: " + e.getMessage();
      }
    }
    return new OutboxRow(
        rs.getLong(1),
        rs.getObject(2, UUID.class),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getBytes(7),
        headers,
        rs.getInt(9),
        defect);
  }

  /**
   * The headers as stored, in their order, refusing anything but string values: Jackson would turn
   * a number into text and a null into the string "null", which is not what the writer stored.
   */
  private static Map<String, String> headers(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("found " + typeOf(node));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "header '" + field.getKey() + "' is " + typeOf(field.getValue()) + ", not a string");
      }
      headers.put(field.getKey(), field.getValue().textValue());
    }
    return headers;
  }

  private static String typeOf(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static long queryLong(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String truncate(String error) {
    if (error == null) {
      return null;
    }
    return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
  }
}
