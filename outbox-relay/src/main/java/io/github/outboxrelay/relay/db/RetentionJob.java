package io.github.outboxrelay.relay.db;

import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes published rows older than the retention age (see {@link
 * OutboxRepository#deleteFinishedOlderThan}), a small batch per transaction so that no run holds
 * many locks or a long transaction (which would hold back vacuum). Runs on a schedule; several
 * relays may run it at once: they only contend on the same old rows.
 */
public final class RetentionJob implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  private final DataSource dataSource;
  private final FrontierQueries frontiers;
  private final OutboxRepository repository;
  private final Duration age;
  private final int batchSize;

  public RetentionJob(
      DataSource dataSource,
      FrontierQueries frontiers,
      OutboxRepository repository,
      Duration age,
      int batchSize) {
    this.dataSource = dataSource;
    this.frontiers = frontiers;
    this.repository = repository;
    this.age = age;
    this.batchSize = batchSize;
  }

  @Override
  public void run() {
    try {
      long deleted = deleteAll();
      if (deleted > 0) {
        LOG.info("Retention deleted {} published outbox rows older than {}", deleted, age);
      }
    } catch (SQLException e) {
      LOG.warn("Retention could not delete published rows this time: {}", e.getMessage());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and keep the schedule alive.
      LOG.error("Retention failed", e);
    }
  }

  /** Deletes batch after batch until a batch comes back short; returns the total. */
  long deleteAll() throws SQLException {
    long total = 0;
    int deleted;
    do {
      deleted =
          Transactions.inTransaction(
              dataSource,
              connection ->
                  repository.deleteFinishedOlderThan(
                      connection, frontiers.loadFrontier(connection), age, batchSize));
      total += deleted;
    } while (deleted == batchSize && !Thread.currentThread().isInterrupted());
    return total;
  }
}
