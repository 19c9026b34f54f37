package io.github.outboxrelay.sample.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work in one transaction, and runs it again from the start when PostgreSQL aborted
 * it as a serialization failure (40001) or deadlock victim (40P01): those say "try again", and the
 * whole transaction must be retried, not just the failed statement. Exponential backoff with jitter
 * separates the contenders; the number of attempts is bounded. Business errors ({@link
 * OrderException}) and every other failure roll back and are never retried.
 */
public final class TransactionRunner {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);
  private static final String SERIALIZATION_FAILURE = "40001";
  private static final String DEADLOCK_DETECTED = "40P01";

  /**
   * The work; it must not roll back or close the connection. It may end by committing (as {@link
   * io.github.outboxrelay.writer.OutboxWriter#writeAndCommit} does): the runner's own commit then
   * finds nothing to commit.
   */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final AtomicLong retries = new AtomicLong();

  /**
   * @param dataSource its connections' isolation level is the transactions' (the sample's pool sets
   *     READ COMMITTED once per connection)
   */
  public TransactionRunner(DataSource dataSource, int maxAttempts, Duration initialBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, but is " + maxAttempts);
    }
    this.dataSource = dataSource;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
  }

  public <T> T inTransaction(Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false); // free when the pool hands out such connections
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException e) {
          rollbackQuietly(connection);
          if (!isRetriable(e) || attempt >= maxAttempts) {
            throw e;
          }
          retries.incrementAndGet();
          LOG.debug("Transaction attempt {} aborted ({}); retrying", attempt, e.getSQLState());
        } catch (RuntimeException | Error e) {
          rollbackQuietly(connection);
          throw e;
        }
      }
      pause(attempt);
    }
  }

  /** How many attempts were retried since start, for metrics and tests. */
  public long retries() {
    return retries.get();
  }

  static boolean isRetriable(SQLException failure) {
    for (SQLException e = failure; e != null; e = e.getNextException()) {
      if (SERIALIZATION_FAILURE.equals(e.getSQLState())
          || DEADLOCK_DETECTED.equals(e.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private void pause(int attempt) {
    long ceiling = initialBackoff.toMillis() << Math.min(attempt - 1, 10);
    long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    try {
      Thread.sleep(delay);
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
}
