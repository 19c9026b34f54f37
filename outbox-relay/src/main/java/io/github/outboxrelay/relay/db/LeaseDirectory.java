package io.github.outboxrelay.relay.db;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Who takes part in a table's lease: every relay names its lease connection {@code outbox-relay
 * <table oid> <instance>} (PostgreSQL's {@code application_name}), so that any relay, standby or
 * not, can list them from {@code pg_stat_activity} and tell the holder by its advisory lock.
 */
public final class LeaseDirectory {

  /** One relay of the table: its instance name, whether it holds the lease, since when it is in. */
  public record Member(String instance, boolean holder, Instant connectedSince) {}

  /** PostgreSQL cuts {@code application_name} at 63 bytes. */
  private static final int MAX_NAME = 63;

  private final String table;

  public LeaseDirectory(String table) {
    this.table = table;
  }

  /** This process, as other relays see it: host name and process id. */
  public static String thisInstance() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid();
  }

  /** Names the lease connection {@code connection} after this relay and the table. */
  static void announce(Connection connection, String table, String instance) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT set_config('application_name', left('outbox-relay ' || ?::regclass::oid"
                + " || ' ' || ?, "
                + MAX_NAME
                + "), false)")) {
      statement.setString(1, table);
      statement.setString(2, instance);
      statement.executeQuery().close();
    }
  }

  /** The relays taking part in the lease now, the holder first. */
  public List<Member> members(Connection connection) throws SQLException {
    List<Member> members = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "WITH t AS (SELECT ?::regclass::oid AS oid)"
                + " SELECT substr(a.application_name, length('outbox-relay ' || t.oid || ' ') + 1),"
                + " EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid"
                + " AND l.locktype = 'advisory' AND l.classid = t.oid AND l.objid = "
                + ExclusiveLease.LEASE
                + " AND l.objsubid = 2 AND l.granted), a.backend_start"
                + " FROM pg_stat_activity a, t"
                + " WHERE a.application_name LIKE 'outbox-relay ' || t.oid || ' %'"
                + " ORDER BY 2 DESC, 1")) {
      statement.setString(1, table);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          members.add(
              new Member(rs.getString(1), rs.getBoolean(2), rs.getTimestamp(3).toInstant()));
        }
      }
    }
    return members;
  }
}
