package io.github.outboxrelay.relay.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the relay runs a unit of database work, in the spirit of Jdbi's {@code
 * inTransaction(HandleCallback)}: a pooled connection, one transaction, committed when the work
 * returns, rolled back when it throws, and the connection always given back. (The claimed batches
 * are the exception: their transactions span the claiming and the completing thread, so {@code
 * BatchPipeline} owns them itself.)
 */
public final class Transactions {

  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

  /** Work on the transaction's connection. */
  @FunctionalInterface
  public interface Work<T> {
    T on(Connection connection) throws SQLException;
  }

  private Transactions() {}

  /** Runs {@code work} in a transaction of its own and returns its result once committed. */
  public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      T result;
      try {
        result = work.on(connection);
      } catch (SQLException | RuntimeException e) {
        rollBackQuietly(connection, e);
        throw e;
      }
      connection.commit();
      return result;
    }
  }

  private static void rollBackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e); // a broken connection: the pool replaces it
      LOG.debug("Rollback failed", e);
    }
  }
}
