package io.github.outboxrelay.relay.db;

import io.github.outboxrelay.relay.core.Frontier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The SQL that tells a frontier's rows apart, in one place: whether a row's transaction was unseen
 * by a snapshot, and the snapshots and arrays bound as text (pgjdbc has no binding for {@code
 * xid8}).
 */
final class FrontierSql {

  /** A row written by a transaction the bound snapshot did not see; binds {@link #bind}. */
  static final String UNSEEN = "(txid >= ?::xid8 OR txid = ANY(?::xid8[]))";

  private FrontierSql() {}

  /** Binds {@code snapshot} to the two parameters of {@link #UNSEEN} after {@code index}. */
  static int bind(PreparedStatement statement, int index, Frontier.Snapshot snapshot)
      throws SQLException {
    statement.setString(++index, Long.toString(snapshot.xmax()));
    statement.setString(++index, text(snapshot.xip()));
    return index;
  }

  /** The snapshot of the caller's transaction (its first, under repeatable read). */
  static Frontier.Snapshot currentSnapshot(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pg_snapshot_xmax(s)::text, ARRAY(SELECT pg_snapshot_xip(s))::text"
                    + " FROM pg_current_snapshot() s");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return new Frontier.Snapshot(Long.parseLong(rs.getString(1)), longs(rs.getString(2)));
    }
  }

  /** A PostgreSQL array literal of {@code values}. */
  static String text(long[] values) {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      text.append(i == 0 ? "" : ",").append(values[i]);
    }
    return text.append('}').toString();
  }

  /** The numbers of a PostgreSQL array literal. */
  static long[] longs(String arrayText) {
    String inner = arrayText.substring(1, arrayText.length() - 1);
    return inner.isEmpty()
        ? new long[0]
        : Arrays.stream(inner.split(",")).mapToLong(Long::parseLong).toArray();
  }
}
