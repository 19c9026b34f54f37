package io.github.outboxrelay.sample.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.sample.Faults;
import io.github.outboxrelay.testing.net.TcpProxy;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole-transaction retries for 40001 and 40P01, against real PostgreSQL aborts, and for a lost
 * database: connections cut, backends terminated, no connection to be had.
 */
class TransactionRunnerIT {

  @RegisterExtension
  static final PostgresExtension postgres =
      new PostgresExtension(
          db -> db.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL)"));

  private final TransactionRunner runner =
      new TransactionRunner(postgres.dataSource(), 5, Duration.ofMillis(5), Duration.ofSeconds(30));

  @BeforeEach
  void accounts() throws SQLException {
    postgres.execute("TRUNCATE accounts", "INSERT INTO accounts VALUES (1, 100), (2, 100)");
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void aSerializationFailureIsRetriedAsAWholeTransactionAndSucceeds() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    runner.inTransaction(
        connection -> {
          execute(connection, "UPDATE accounts SET balance = balance - 10 WHERE id = 1");
          if (attempts.incrementAndGet() == 1) {
            execute(
                connection, "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40001'; END $$");
          }
          return null;
        });

    assertThat(attempts).hasValue(2);
    // The first attempt's update was rolled back with it: the balance moved once.
    assertThat(postgres.queryForLong("SELECT balance FROM accounts WHERE id = 1")).isEqualTo(90);
  }

  @Test
  void aRealDeadlockVictimIsRetriedAndBothTransfersComplete() throws Exception {
    CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
    AtomicInteger attempts = new AtomicInteger();

    CompletableFuture<Void> oneToTwo =
        CompletableFuture.runAsync(() -> transfer(1, 2, bothHoldTheirFirstLock, attempts));
    CompletableFuture<Void> twoToOne =
        CompletableFuture.runAsync(() -> transfer(2, 1, bothHoldTheirFirstLock, attempts));
    CompletableFuture.allOf(oneToTwo, twoToOne).get(60, TimeUnit.SECONDS);

    assertThat(attempts).as("one victim ran again").hasValue(3);
    assertThat(runner.retries()).isEqualTo(1);
    assertThat(postgres.queryForLong("SELECT sum(balance) FROM accounts")).isEqualTo(200);
    assertThat(postgres.queryForLong("SELECT balance FROM accounts WHERE id = 1")).isEqualTo(100);
  }

  /** Locks in opposite orders on purpose (the service itself locks canonically). */
  private void transfer(int from, int to, CyclicBarrier barrier, AtomicInteger attempts) {
    try {
      runner.inTransaction(
          connection -> {
            int attempt = attempts.incrementAndGet();
            execute(connection, "UPDATE accounts SET balance = balance - 10 WHERE id = " + from);
            if (attempt <= 2) {
              await(barrier);
            }
            execute(connection, "UPDATE accounts SET balance = balance + 10 WHERE id = " + to);
            return null;
          });
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void businessErrorsRollBackAndAreNeverRetried() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                runner.inTransaction(
                    connection -> {
                      attempts.incrementAndGet();
                      execute(connection, "UPDATE accounts SET balance = 0 WHERE id = 1");
                      throw OrderException.conflict("insufficient funds");
                    }))
        .isInstanceOf(OrderException.class);

    assertThat(attempts).hasValue(1);
    assertThat(postgres.queryForLong("SELECT balance FROM accounts WHERE id = 1")).isEqualTo(100);
  }

  @Test
  void otherDatabaseErrorsAreNotRetried() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                runner.inTransaction(
                    connection -> {
                      attempts.incrementAndGet();
                      execute(connection, "INSERT INTO accounts VALUES (1, 0)");
                      return null;
                    }))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("duplicate key");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void retriesAreBounded() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                runner.inTransaction(
                    connection -> {
                      attempts.incrementAndGet();
                      execute(
                          connection,
                          "DO $$ BEGIN RAISE EXCEPTION 'always' USING ERRCODE = '40P01'; END $$");
                      return null;
                    }))
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("40P01");
    assertThat(attempts).hasValue(5);
  }

  @Nested
  class LostDatabase {

    @Test
    void aTransactionWhoseConnectionIsCutRunsAgainOnANewConnection() throws Exception {
      try (TcpProxy proxy = Faults.proxyTo(postgres);
          HikariDataSource pool = throughProxy(proxy)) {
        TransactionRunner runner = runnerOn(pool, Duration.ofSeconds(30));
        AtomicInteger attempts = new AtomicInteger();

        runner.inTransaction(
            connection -> {
              execute(connection, "UPDATE accounts SET balance = balance - 10 WHERE id = 1");
              if (attempts.incrementAndGet() == 1) {
                proxy.cutConnections();
              }
              execute(connection, "UPDATE accounts SET balance = balance + 10 WHERE id = 2");
              return null;
            });

        assertThat(attempts).hasValue(2);
        assertThat(postgres.queryForLong("SELECT balance FROM accounts WHERE id = 1"))
            .isEqualTo(90);
        assertThat(postgres.queryForLong("SELECT balance FROM accounts WHERE id = 2"))
            .isEqualTo(110);
      }
    }

    @Test
    void aTransactionWhoseBackendIsTerminatedRunsAgain() throws SQLException {
      AtomicInteger attempts = new AtomicInteger();

      runner.inTransaction(
          connection -> {
            execute(connection, "UPDATE accounts SET balance = balance - 10 WHERE id = 1");
            if (attempts.incrementAndGet() == 1) {
              // 57P01, as every backend gets when PostgreSQL shuts down in fast mode.
              postgres.execute(
                  "SELECT pg_terminate_backend(" + Faults.backendPid(connection) + ")");
            }
            execute(connection, "UPDATE accounts SET balance = balance + 10 WHERE id = 2");
            return null;
          });

      assertThat(attempts).hasValue(2);
      assertThat(postgres.queryForLong("SELECT balance FROM accounts WHERE id = 1")).isEqualTo(90);
    }

    @Test
    void whenNoConnectionComesInTimeTheTransactionRunsOnceOneIsFree() throws Exception {
      try (HikariDataSource pool =
          Faults.pool(postgres, postgres.jdbcUrl(), 1, Duration.ofMillis(250))) {
        TransactionRunner runner = runnerOn(pool, Duration.ofSeconds(30));
        CompletableFuture<Long> balance;
        try (Connection taken = pool.getConnection()) {
          balance =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return runner.inTransaction(
                          connection ->
                              queryForLong(
                                  connection, "SELECT balance FROM accounts WHERE id = 1"));
                    } catch (SQLException e) {
                      throw new IllegalStateException(e);
                    }
                  });
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> runner.retries() > 0 || balance.isDone());
          assertThat(balance).as("the transaction waits for a connection").isNotDone();
        }

        assertThat(balance.get(30, TimeUnit.SECONDS)).isEqualTo(100);
      }
    }

    @Test
    void whenTheDatabaseStaysAwayTheRunnerGivesUpAsUnavailable() throws Exception {
      try (TcpProxy proxy = Faults.proxyTo(postgres);
          HikariDataSource pool = throughProxy(proxy)) {
        TransactionRunner runner = runnerOn(pool, Duration.ofMillis(600));
        proxy.close(); // the pool's connections drop, and new ones are refused

        assertThatThrownBy(
                () -> runner.inTransaction(connection -> queryForLong(connection, "SELECT 1")))
            .isInstanceOf(DatabaseUnavailableException.class)
            .hasMessage("the database is unavailable; try again shortly")
            .hasCauseInstanceOf(SQLException.class);
        assertThat(runner.unavailable()).isEqualTo(1);
      }
    }

    private HikariDataSource throughProxy(TcpProxy proxy) {
      return Faults.pool(
          postgres, Faults.jdbcUrlThrough(proxy, postgres), 2, Duration.ofMillis(250));
    }

    private TransactionRunner runnerOn(HikariDataSource pool, Duration reconnectBudget) {
      return new TransactionRunner(pool, 5, Duration.ofMillis(5), reconnectBudget);
    }

    private static long queryForLong(Connection connection, String sql) throws SQLException {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
