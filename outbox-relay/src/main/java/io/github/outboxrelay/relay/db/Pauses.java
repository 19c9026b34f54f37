package io.github.outboxrelay.relay.db;

import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What is paused, kept in {@code <table>_relay_pause} so that it outlasts restarts: a topic, or
 * {@link Holds#EVERYTHING}. The relays read it with every claim ({@link FrontierQueries#holds}):
 * with everything paused they claim nothing; the events of a paused topic are held (parked, {@code
 * held_by} {@link Holds#PAUSED_TOPIC}) until it resumes, and then released in write order.
 */
public final class Pauses {

  /** One pause: a topic or everything, since when (ISO-8601, UTC) and by whom. */
  public record Pause(String topic, String pausedAt, String pausedBy) {}

  private final String table;
  private final String pauseTable;

  public Pauses(String table) {
    this.table = SqlIdentifiers.requireQualifiedTable(table, "outbox.table");
    this.pauseTable = this.table + "_relay_pause";
  }

  public List<Pause> list(Connection connection) throws SQLException {
    List<Pause> pauses = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT topic, paused_at, paused_by FROM " + pauseTable + " ORDER BY topic");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        pauses.add(
            new Pause(rs.getString(1), rs.getTimestamp(2).toInstant().toString(), rs.getString(3)));
      }
    }
    return pauses;
  }

  /**
   * Pauses {@code topic} (or {@link Holds#EVERYTHING}).
   *
   * @return false if it was paused already
   */
  public boolean pause(Connection connection, String topic, String by) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO "
                + pauseTable
                + " (topic, paused_by) VALUES (?, ?) ON CONFLICT (topic) DO NOTHING")) {
      statement.setString(1, topic);
      statement.setString(2, by);
      return statement.executeUpdate() == 1;
    }
  }

  /** What a resume changed: the pauses it ended, and the held events it released. */
  public record Resumed(List<String> topics, int released) {}

  /**
   * Ends the pause of {@code topic}, or every pause when it is null, and releases the events held
   * while paused. Call it in a read-committed transaction: the delete waits for batches that are
   * holding rows by these pauses (they lock them first), and the release, a statement of its own,
   * then sees their rows too.
   */
  public Resumed resume(Connection connection, String topic) throws SQLException {
    List<String> ended = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "DELETE FROM "
                + pauseTable
                + (topic == null ? "" : " WHERE topic = ?")
                + " RETURNING topic")) {
      if (topic != null) {
        statement.setString(1, topic);
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          ended.add(rs.getString(1));
        }
      }
    }
    if (ended.isEmpty()) {
      return new Resumed(List.of(), 0);
    }
    // A new txid makes each row a straggler of the relay's frontier: claimed again, in seq order.
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + table
                + " SET parked_at = NULL, held_by = NULL, txid = pg_current_xact_id()"
                + " WHERE held_by = ?"
                + (topic == null ? "" : " AND topic = ?"))) {
      statement.setLong(1, Holds.PAUSED_TOPIC);
      if (topic != null) {
        statement.setString(2, topic);
      }
      return new Resumed(List.copyOf(ended), statement.executeUpdate());
    }
  }
}
