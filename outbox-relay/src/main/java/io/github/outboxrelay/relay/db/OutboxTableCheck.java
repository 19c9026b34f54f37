package io.github.outboxrelay.relay.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks at start-up that the outbox table exists with the columns the relay reads and writes, so a
 * wrong table name or a missing migration fails with a message instead of a loop of SQL errors.
 * Only {@code seq} must be NOT NULL: a row with a NULL anywhere else is parked with a message that
 * names the column (see {@code RecordBuilder}).
 */
public final class OutboxTableCheck {

  static final List<String> REQUIRED_COLUMNS =
      List.of(
          "seq",
          "id",
          "aggregatetype",
          "aggregateid",
          "type",
          "topic",
          "payload",
          "headers",
          "created_at",
          "published_at",
          "attempts",
          "last_error",
          "parked_at",
          "txid",
          "held_by",
          "skipped_at",
          "skipped_by",
          "skip_reason");

  private OutboxTableCheck() {}

  /**
   * @throws IllegalStateException saying what is missing and how to create it
   */
  public static void verify(Connection connection, String qualifiedTable) throws SQLException {
    int dot = qualifiedTable.indexOf('.');
    String schema = dot < 0 ? null : qualifiedTable.substring(0, dot).toLowerCase(Locale.ROOT);
    String table =
        (dot < 0 ? qualifiedTable : qualifiedTable.substring(dot + 1)).toLowerCase(Locale.ROOT);
    Set<String> present = new HashSet<>();
    Set<String> nullable = new HashSet<>();
    String sql =
        "SELECT column_name, is_nullable = 'YES' FROM information_schema.columns WHERE table_name = ? AND"
            + (schema == null ? " table_schema = current_schema()" : " table_schema = ?");
    String where;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, table);
      if (schema != null) {
        statement.setString(2, schema);
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          present.add(rs.getString(1));
          if (rs.getBoolean(2)) {
            nullable.add(rs.getString(1));
          }
        }
      }
    }
    where = schema != null ? "schema " + schema : "schema " + currentSchema(connection);
    if (present.isEmpty()) {
      throw new IllegalStateException(
          "The outbox table '"
              + qualifiedTable
              + "' does not exist in "
              + where
              + " of database "
              + connection.getCatalog()
              + ". Create it with the writer's migrations (OutboxSchema.FLYWAY_LOCATION,"
              + " see the README) or set outbox.table to the table your services write to.");
    }
    List<String> missing = new ArrayList<>();
    for (String column : REQUIRED_COLUMNS) {
      if (!present.contains(column)) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "The outbox table '"
              + qualifiedTable
              + "' in "
              + where
              + " lacks the columns "
              + missing
              + " that the relay needs. Apply the writer's latest migrations (OutboxSchema).");
    }
    if (nullable.contains("seq")) {
      // A row without a seq could be neither marked nor parked: it would be sent again for ever.
      throw new IllegalStateException(
          "The outbox table '"
              + qualifiedTable
              + "' in "
              + where
              + " lets column seq be NULL; the relay marks and parks rows by seq. Declare it"
              + " NOT NULL (the writer's migrations make it the primary key).");
    }
    requireTable(
        connection,
        qualifiedTable + "_relay_position",
        "where the relay keeps its position",
        where);
    requireTable(connection, qualifiedTable + "_relay_pause", "where pauses are kept", where);
  }

  private static String currentSchema(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT current_schema()");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void requireTable(
      Connection connection, String qualifiedTable, String purpose, String where)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, qualifiedTable);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new IllegalStateException(
              "The table '"
                  + qualifiedTable
                  + "', "
                  + purpose
                  + ", does not exist in "
                  + where
                  + ". Apply the writer's latest migrations (OutboxSchema, version 4).");
        }
      }
    }
  }
}
