package io.github.outboxrelay.relay.db;

import io.github.outboxrelay.relay.core.ClaimGate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one relay of several the only one that claims from an outbox table, so that each key's
 * events reach Kafka in write order however many relays run; the others stand by and take over when
 * it goes away. One relay already claims and marks close to what PostgreSQL manages on its own, so
 * the standbys cost little throughput.
 *
 * <p>Two PostgreSQL advisory locks per table, keyed by the table's oid. The <em>lease</em> is a
 * session lock held on a connection of its own for as long as this relay is active; PostgreSQL
 * drops it when that connection ends, whatever happened to the relay. Every claiming transaction
 * takes the <em>in-flight</em> lock in shared mode and, in the same transaction, checks that the
 * lease is still held by this relay's lease connection ({@link #admitClaim}); a new holder of the
 * lease takes the in-flight lock exclusively once before it claims, which waits until every batch
 * the previous holder still had open has committed or rolled back. So the batches of two holders
 * never overlap, even when the previous holder lost its lease connection but not yet its others.
 */
public final class ExclusiveLease extends BackgroundConnection implements ClaimGate {

  private static final Logger LOG = LoggerFactory.getLogger(ExclusiveLease.class);
  static final int LEASE = 1;
  private static final int IN_FLIGHT = 2;
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final ConnectionSource connections;
  private final String table; // the locks' first key is its oid: other tables' relays never meet
  private final String instance;
  private final Duration checkInterval;
  private final Duration staleBatchTimeout;
  private volatile int leaseHolderPid; // the lease connection's backend pid while held, else 0

  /**
   * @param connections opens the lease connection, outside the pool (it is held for hours)
   * @param table the outbox table; relays of different tables do not exclude each other
   * @param checkInterval how often a standby tries to take the lease and the holder checks its
   *     connection
   * @param staleBatchTimeout longer than any batch of a healthy relay stays open (the wait for
   *     Kafka's acknowledgements plus the shutdown timeout)
   */
  public ExclusiveLease(
      ConnectionSource connections,
      String table,
      Duration checkInterval,
      Duration staleBatchTimeout) {
    this(connections, table, LeaseDirectory.thisInstance(), checkInterval, staleBatchTimeout);
  }

  /**
   * @param instance how this relay is named to the others (see {@link LeaseDirectory})
   */
  public ExclusiveLease(
      ConnectionSource connections,
      String table,
      String instance,
      Duration checkInterval,
      Duration staleBatchTimeout) {
    super("outbox-relay-lease");
    this.connections = connections;
    this.table = table;
    this.instance = instance;
    this.checkInterval = checkInterval;
    if (staleBatchTimeout.toMillis() > Integer.MAX_VALUE) {
      // PostgreSQL's lock_timeout is an int of milliseconds and refuses anything larger.
      throw new IllegalArgumentException(
          "the wait for a previous lease holder's batches (ack timeout + outbox.shutdownTimeout = "
              + staleBatchTimeout
              + ") exceeds PostgreSQL's lock_timeout range");
    }
    this.staleBatchTimeout = staleBatchTimeout;
  }

  /** Whether this relay holds the lease, as far as its lease thread knows. */
  @Override
  public boolean isOpen() {
    return leaseHolderPid != 0;
  }

  /**
   * Takes the in-flight lock (shared) for the rest of the claiming transaction, then answers
   * whether this relay's lease connection still holds the lease. Claim only if it does.
   */
  @Override
  public boolean admitClaim(Connection connection) throws SQLException {
    int holder = leaseHolderPid;
    if (holder == 0) {
      return false;
    }
    try (PreparedStatement lock =
        connection.prepareStatement(
            "SELECT pg_advisory_xact_lock_shared(?::regclass::oid::int4, ?)")) {
      lock.setString(1, table);
      lock.setInt(2, IN_FLIGHT);
      lock.execute();
    }
    try (PreparedStatement held =
        connection.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                + " AND classid = ?::regclass::oid AND objid = ? AND objsubid = 2"
                + " AND pid = ? AND granted)")) {
      held.setString(1, table);
      held.setInt(2, LEASE);
      held.setInt(3, holder);
      try (ResultSet rs = held.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  @Override
  protected void run() {
    while (running()) {
      try (Connection connection = connections.open()) {
        connection.setAutoCommit(true);
        LeaseDirectory.announce(connection, table, instance);
        reconnectBackoff.reset();
        while (running() && !tryTake(connection)) {
          recovered("The lease connection works"); // standing by is healthy
          pause(checkInterval);
        }
        if (!running()) {
          return;
        }
        waitForPreviousBatches(connection);
        leaseHolderPid = backendPid(connection);
        recovered("The lease connection works");
        LOG.info("This relay now claims from {}; other relays stand by", table);
        while (running()) {
          pause(checkInterval);
          check(connection);
        }
      } catch (SQLException | RuntimeException e) {
        // Never silent: a relay that cannot take or keep the lease does not claim, and says so in
        // its log (once per reason) and in its health check.
        failed(
            leaseHolderPid != 0
                ? "Lost the lease on " + table + "; claiming stops until it is back"
                : "Cannot take part in the lease on " + table + ", so this relay does not claim",
            e);
        leaseHolderPid = 0;
        if (running()) {
          pause(reconnectBackoff.next());
        }
      } finally {
        leaseHolderPid = 0; // closing the connection releases the lease
      }
    }
  }

  private boolean tryTake(Connection connection) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT pg_try_advisory_lock(?::regclass::oid::int4, ?)")) {
      statement.setString(1, table);
      statement.setInt(2, LEASE);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Waits until no transaction of a previous lease holder still holds claimed rows. A healthy
   * holder ends its batches within {@code staleBatchTimeout}; after that, the transactions left are
   * those of a holder cut off from the database without PostgreSQL having noticed yet (which can
   * take as long as TCP keepalive allows), and they are terminated.
   */
  private void waitForPreviousBatches(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET lock_timeout = " + staleBatchTimeout.toMillis());
    }
    try {
      inFlightLock(connection, "pg_advisory_lock");
    } catch (SQLException e) {
      if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
        throw e;
      }
      int terminated = terminatePreviousBatches(connection);
      LOG.warn(
          "Batches of the previous holder of the lease on {} were still open after {}; terminated"
              + " {} of their connections",
          table,
          staleBatchTimeout,
          terminated);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET lock_timeout = 0");
      }
      inFlightLock(connection, "pg_advisory_lock");
    }
    inFlightLock(connection, "pg_advisory_unlock");
    try (Statement statement = connection.createStatement()) {
      statement.execute("RESET lock_timeout");
    }
  }

  private void inFlightLock(Connection connection, String function) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT " + function + "(?::regclass::oid::int4, ?)")) {
      statement.setString(1, table);
      statement.setInt(2, IN_FLIGHT);
      statement.execute();
    }
  }

  private int terminatePreviousBatches(Connection connection) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND classid = ?::regclass::oid AND objid = ? AND objsubid = 2 AND granted"
                + " AND pid <> pg_backend_pid()")) {
      statement.setString(1, table);
      statement.setInt(2, IN_FLIGHT);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT pg_backend_pid()");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void check(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
      statement.execute();
    }
  }
}
