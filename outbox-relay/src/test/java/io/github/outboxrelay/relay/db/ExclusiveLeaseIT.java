package io.github.outboxrelay.relay.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease that makes one relay the only claimer of a table, against a real PostgreSQL. */
class ExclusiveLeaseIT {

  private static final Duration CHECK = Duration.ofMillis(50);
  private static final Duration STALE_BATCH = Duration.ofMillis(500);

  @RegisterExtension
  static final PostgresExtension postgres =
      new PostgresExtension(
          // The lease only needs the tables to exist: it keys its locks by their oids.
          pg ->
              pg.execute(
                  "CREATE TABLE outbox (seq BIGINT)", "CREATE TABLE other_outbox (seq BIGINT)"));

  private final List<ExclusiveLease> leases = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();

  @AfterEach
  void release() throws Exception {
    for (ExclusiveLease lease : leases) {
      lease.stop();
    }
    for (Connection connection : connections) {
      connection.close();
    }
  }

  private ExclusiveLease start(String table) {
    ExclusiveLease lease = new ExclusiveLease(ExclusiveLeaseIT::connect, table, CHECK, STALE_BATCH);
    leases.add(lease);
    lease.start();
    return lease;
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.server().user(), postgres.server().password());
  }

  /** A connection in an open transaction, as a relay's batch would be. */
  private Connection transaction() throws SQLException {
    Connection connection = connect();
    connection.setAutoCommit(false);
    connections.add(connection);
    return connection;
  }

  @Test
  void oneRelayOfATableHoldsTheLeaseAndAdmitsClaimsAnotherTableHasItsOwn() throws Exception {
    ExclusiveLease first = start("outbox");
    await().until(first::isOpen);
    ExclusiveLease second = start("outbox");
    ExclusiveLease elsewhere = start("other_outbox");
    await().until(elsewhere::isOpen);

    assertThat(second.isOpen()).isFalse();
    assertThat(first.admitClaim(transaction())).isTrue();
    assertThat(second.admitClaim(transaction())).isFalse();
    assertThat(elsewhere.admitClaim(transaction())).isTrue();
  }

  @Test
  void aStandbyTakesOverWhenTheHolderStopsAndTheOldHolderNoLongerAdmitsClaims() throws Exception {
    ExclusiveLease first = start("outbox");
    await().until(first::isOpen);
    ExclusiveLease second = start("outbox");

    first.stop();

    await().atMost(Duration.ofSeconds(10)).until(second::isOpen);
    assertThat(first.isOpen()).isFalse();
    assertThat(first.admitClaim(transaction())).isFalse();
    assertThat(second.admitClaim(transaction())).isTrue();
  }

  @Test
  void aNewHolderWaitsForThePreviousHoldersOpenBatchesThenTerminatesTheStaleOnes()
      throws Exception {
    ExclusiveLease first = start("outbox");
    await().until(first::isOpen);
    Connection batch = transaction();
    assertThat(first.admitClaim(batch)).isTrue(); // a batch of the first holder, left open
    ExclusiveLease second = start("outbox");

    first.stop(); // its lease connection ends; its batch's connection lives on, as if cut off

    await().atMost(Duration.ofSeconds(10)).until(second::isOpen);
    assertThatThrownBy(
            () -> {
              try (PreparedStatement statement = batch.prepareStatement("SELECT 1")) {
                statement.execute();
              }
            })
        .as("the stale batch's connection was terminated")
        .isInstanceOf(SQLException.class);
  }

  @Test
  void aHolderWhoseLeaseConnectionIsTerminatedStopsAdmittingAtOnce() throws Exception {
    ExclusiveLease first = start("outbox");
    await().until(first::isOpen);

    postgres.queryForLong(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND classid = 'outbox'::regclass::oid AND objid = 1 AND objsubid = 2 AND granted");

    // Before its lease thread notices, the check in the claiming transaction refuses.
    assertThat(first.admitClaim(transaction())).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(first::isOpen); // and it takes the lease again
  }

  @Test
  void aRelayThatCannotTakePartInTheLeaseSaysWhyAndRecovers() throws Exception {
    ExclusiveLease lease = start("late_outbox"); // no such table yet: every lease query fails

    await().until(() -> lease.problem().isPresent());
    assertThat(lease.problem().get())
        .contains("Cannot take part in the lease on late_outbox")
        .contains("does not exist");
    assertThat(lease.isOpen()).isFalse();

    postgres.execute("CREATE TABLE late_outbox (seq BIGINT)");

    await().atMost(Duration.ofSeconds(10)).until(lease::isOpen);
    assertThat(lease.problem()).isEmpty();
  }

  @Test
  void aWaitForStaleBatchesBeyondPostgresLockTimeoutRangeIsRefusedAtStartUp() {
    assertThatThrownBy(
            () ->
                new ExclusiveLease(ExclusiveLeaseIT::connect, "outbox", CHECK, Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds PostgreSQL's lock_timeout range");
  }
}
