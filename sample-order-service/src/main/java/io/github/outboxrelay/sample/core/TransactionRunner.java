package io.github.outboxrelay.sample.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work in one transaction, and runs it again from the start, on a new connection,
 * when the failure says the transaction may simply be tried again:
 *
 * <ul>
 *   <li>PostgreSQL aborted it as a serialization failure (40001) or deadlock victim (40P01): at
 *       most {@code maxAttempts} attempts, with exponential backoff and jitter between them;
 *   <li>the database was lost or not reachable (SQLSTATE class 08, 57P01 admin shutdown, 57P02
 *       crash shutdown, 57P03 cannot connect now, or the pool's {@link
 *       SQLTransientConnectionException} when no connection came in time), as while PostgreSQL
 *       restarts: with a short backoff, for as long as {@code reconnectBudget} lasts from the first
 *       such failure, then {@link DatabaseUnavailableException}. An attempt begun within the budget
 *       may still wait for a connection as long as the pool lets it.
 * </ul>
 *
 * <p>Business errors ({@link OrderException}) and every other failure roll back and are never
 * retried.
 *
 * <p>A lost connection can hide a commit that took effect: if it breaks while the COMMIT is on its
 * way, the server may have committed. The runner cannot tell, so work that writes must recognize,
 * when it runs again, what an earlier attempt of its own committed ({@link OrderService} does).
 */
public final class TransactionRunner {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);
  private static final Set<String> ABORTED = Set.of("40001", "40P01");
  private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");
  private static final Duration RECONNECT_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_RECONNECT_BACKOFF = Duration.ofMillis(500);

  /**
   * The work; it must not roll back or close the connection. It may end by committing (as {@link
   * io.github.outboxrelay.writer.OutboxWriter#writeAndCommit} does): the runner's own commit then
   * finds nothing to commit. It may run more than once (see the class comment).
   */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration reconnectBudget;
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();

  /**
   * @param dataSource its connections' isolation level is the transactions' (the sample's pool sets
   *     READ COMMITTED once per connection); how long it waits for a connection bounds each attempt
   * @param maxAttempts attempts of a transaction that keeps being aborted (40001, 40P01)
   * @param initialBackoff the first pause after such an abort
   * @param reconnectBudget how long after it first lost the database a transaction may start
   *     another attempt; zero retries none
   */
  public TransactionRunner(
      DataSource dataSource, int maxAttempts, Duration initialBackoff, Duration reconnectBudget) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, but is " + maxAttempts);
    }
    if (reconnectBudget.isNegative()) {
      throw new IllegalArgumentException(
          "reconnectBudget must not be negative: " + reconnectBudget);
    }
    this.dataSource = dataSource;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.reconnectBudget = reconnectBudget;
  }

  /**
   * @throws DatabaseUnavailableException when the database stayed away for the whole budget
   * @throws SQLException any other database failure, once it is not worth retrying
   */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    long deadline = 0; // set when the database is first lost
    int aborts = 0;
    int losses = 0;
    while (true) {
      SQLException failure;
      try {
        return attempt(work);
      } catch (SQLException e) {
        failure = e;
      }
      long pauseMillis;
      if (isAborted(failure)) {
        if (++aborts >= maxAttempts) {
          throw failure;
        }
        pauseMillis = backoff(initialBackoff.toMillis(), aborts, Long.MAX_VALUE);
      } else if (isConnectionLoss(failure)) {
        if (losses == 0) {
          deadline = System.nanoTime() + reconnectBudget.toNanos();
        }
        pauseMillis =
            backoff(RECONNECT_BACKOFF.toMillis(), ++losses, MAX_RECONNECT_BACKOFF.toMillis());
        if (System.nanoTime() + pauseMillis * 1_000_000 - deadline > 0) {
          unavailable.incrementAndGet();
          LOG.warn(
              "Database unavailable after {} attempt(s) ({}: {}); giving up",
              aborts + losses,
              failure.getSQLState(),
              failure.getMessage());
          throw new DatabaseUnavailableException(failure);
        }
      } else {
        throw failure;
      }
      retries.incrementAndGet();
      LOG.debug("Transaction attempt failed ({}); retrying", failure.getSQLState());
      pause(pauseMillis);
    }
  }

  /** How many attempts were retried since start, for metrics and tests. */
  public long retries() {
    return retries.get();
  }

  /** How many transactions gave up because the database stayed away, for metrics. */
  public long unavailable() {
    return unavailable.get();
  }

  private <T> T attempt(Work<T> work) throws SQLException {
    Connection connection = dataSource.getConnection();
    T result;
    try {
      connection.setAutoCommit(false); // free when the pool hands out such connections
      result = work.run(connection);
      connection.commit();
    } catch (SQLException | RuntimeException | Error e) {
      rollbackQuietly(connection);
      closeQuietly(connection);
      throw e;
    }
    // Committed: a failure to hand the connection back must not make the work run again.
    closeQuietly(connection);
    return result;
  }

  /** PostgreSQL aborted the transaction and asks for it to be tried again. */
  static boolean isAborted(SQLException failure) {
    for (SQLException e = failure; e != null; e = e.getNextException()) {
      if (e.getSQLState() != null && ABORTED.contains(e.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** The connection or the server went away, or none could be had in time. */
  static boolean isConnectionLoss(SQLException failure) {
    for (SQLException e = failure; e != null; e = e.getNextException()) {
      String state = e.getSQLState();
      if (e instanceof SQLTransientConnectionException
          || (state != null && (state.startsWith("08") || SERVER_GONE.contains(state)))) {
        return true;
      }
    }
    return false;
  }

  /** Exponential with jitter: the n-th pause lies between half and all of first * 2^(n-1). */
  private static long backoff(long firstMillis, int n, long maxMillis) {
    long ceiling = Math.min(maxMillis, Math.max(1, firstMillis) << Math.min(n - 1, 10));
    return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry a transaction", e);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("Rollback failed; the pool will discard the connection", e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Closing a connection failed; the pool will discard it", e);
    }
  }
}
