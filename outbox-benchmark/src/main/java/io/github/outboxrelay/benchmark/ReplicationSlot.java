package io.github.outboxrelay.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debezium's replication slot and publication on the shared server. A slot left behind would keep
 * every WAL segment from then on, so the benchmark drops both before it starts Debezium (a stale
 * one from a killed run) and after, whatever happened.
 */
final class ReplicationSlot {

  private ReplicationSlot() {}

  /** {@code SHOW wal_level}: Debezium needs {@code logical}. */
  static String walLevel(OutboxData data) throws SQLException {
    try (Connection connection = data.connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW wal_level")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Waits until a walsender streams from the slot. */
  static void awaitActive(OutboxData data, String slot, Duration timeout, Runnable requireAlive)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Connection connection = data.connect();
        PreparedStatement active =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active")) {
      active.setString(1, slot);
      while (System.nanoTime() < deadline) {
        requireAlive.run();
        try (ResultSet rs = active.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    throw new IllegalStateException("no walsender streamed from slot " + slot + " in " + timeout);
  }

  /** Ends whatever streams from the slot, then drops the slot and the publication if they exist. */
  static void drop(OutboxData data, String slot, String publication) throws SQLException {
    try (Connection connection = data.connect()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try (PreparedStatement terminate =
                connection.prepareStatement(
                    "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                        + " WHERE slot_name = ? AND active_pid IS NOT NULL");
            PreparedStatement dropSlot =
                connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                        + " WHERE slot_name = ?")) {
          terminate.setString(1, slot);
          terminate.executeQuery().close();
          dropSlot.setString(1, slot);
          dropSlot.executeQuery().close();
          break;
        } catch (SQLException stillActive) {
          // the terminated walsender had not exited yet
          if (System.nanoTime() > deadline) {
            throw stillActive;
          }
          sleepQuietly();
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP PUBLICATION IF EXISTS " + publication);
      }
    }
  }

  private static void sleepQuietly() {
    try {
      TimeUnit.MILLISECONDS.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
