package io.github.outboxrelay.faults;

import io.github.outboxrelay.faults.check.CommittedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * What PostgreSQL says happened: every committed event (retention keeps published rows for 7 days,
 * so none is gone) and when rows were parked, for the metrics check's tolerance.
 */
final class OutboxTruth {

  private OutboxTruth() {}

  static List<CommittedEvent> committed(Connection connection) throws SQLException {
    List<CommittedEvent> events = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT seq, id, topic, aggregateid, type, parked_at IS NOT NULL, last_error"
                    + " FROM outbox ORDER BY seq");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        events.add(
            new CommittedEvent(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getBoolean(6),
                rs.getString(7)));
      }
    }
    return events;
  }

  /** Rows parked in (from, to]. */
  static long parkedBetween(Connection connection, long fromMillis, long toMillis)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT count(*) FROM outbox WHERE parked_at > ? AND parked_at <= ?")) {
      statement.setTimestamp(1, new Timestamp(fromMillis));
      statement.setTimestamp(2, new Timestamp(toMillis));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
