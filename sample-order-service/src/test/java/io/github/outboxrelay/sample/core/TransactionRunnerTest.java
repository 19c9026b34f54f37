package io.github.outboxrelay.sample.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures the runner takes for a lost database, and which for an abort to try again. */
class TransactionRunnerTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"08000", "08001", "08003", "08006", "08P01", "57P01", "57P02", "57P03"})
  void connectionExceptionsAndServerShutdownsAreALostDatabase(String sqlState) {
    SQLException failure = new SQLException("lost", sqlState);

    assertThat(TransactionRunner.isConnectionLoss(failure)).isTrue();
    assertThat(TransactionRunner.isAborted(failure)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"40001", "40P01", "23505", "42P01", "57014", "53300", "XX000"})
  void otherFailuresAreNot(String sqlState) {
    assertThat(TransactionRunner.isConnectionLoss(new SQLException("no", sqlState))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"40001", "40P01"})
  void serializationFailuresAndDeadlocksAreAborts(String sqlState) {
    assertThat(TransactionRunner.isAborted(new SQLException("again", sqlState))).isTrue();
  }

  @Test
  void thePoolsTimeoutIsALostDatabaseWhateverItsState() {
    assertThat(
            TransactionRunner.isConnectionLoss(
                new SQLTransientConnectionException("Connection is not available")))
        .isTrue();
  }

  @Test
  void aStateFurtherDownTheChainCounts() {
    SQLException batch = new BatchUpdateException("batch failed", null, 0, new int[0], null);
    batch.setNextException(new SQLException("lost", "08006"));

    assertThat(TransactionRunner.isConnectionLoss(batch)).isTrue();
  }

  @Test
  void aFailureWithoutStateIsNeither() {
    SQLException failure = new SQLException("no state");

    assertThat(TransactionRunner.isConnectionLoss(failure)).isFalse();
    assertThat(TransactionRunner.isAborted(failure)).isFalse();
  }
}
