package io.github.outboxrelay.relay.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck.Result;
import io.github.outboxrelay.relay.core.ClaimGate;
import io.github.outboxrelay.relay.loop.RelayStatus;
import java.sql.Connection;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The relay health check turns every reason the relay cannot claim into an unhealthy answer. */
class RelayHealthCheckTest {

  private final RelayStatus status = new RelayStatus();

  private static ClaimGate gate(boolean open, String problem) {
    return new ClaimGate() {
      @Override
      public Optional<String> problem() {
        return Optional.ofNullable(problem);
      }

      @Override
      public boolean isOpen() {
        return open;
      }

      @Override
      public boolean admitClaim(Connection connection) {
        return open;
      }
    };
  }

  @Test
  void anActiveRelayAndAStandbyAreHealthy() {
    assertThat(new RelayHealthCheck(status, gate(true, null)).execute().isHealthy()).isTrue();
    Result standby = new RelayHealthCheck(status, gate(false, null)).execute();
    assertThat(standby.isHealthy()).isTrue();
    assertThat(standby.getMessage()).contains("standing by");
  }

  @Test
  void aRelayThatCannotTakePartInTheLeaseIsUnhealthyWithTheReason() {
    Result result =
        new RelayHealthCheck(status, gate(false, "Cannot take part in the lease: denied"))
            .execute();

    assertThat(result.isHealthy()).isFalse();
    assertThat(result.getMessage()).contains("Cannot take part in the lease: denied");
  }

  @Test
  void failingClaimsAndUnexpectedLoopFailuresAreUnhealthyUntilAClaimSucceeds() {
    RelayHealthCheck check = new RelayHealthCheck(status, gate(true, null));

    status.databaseDown("permission denied for table outbox");
    assertThat(check.execute().getMessage()).contains("permission denied for table outbox");
    status.databaseUp();
    assertThat(check.execute().isHealthy()).isTrue();

    status.unexpectedFailure(new IllegalStateException("boom"));
    assertThat(check.execute().isHealthy()).isFalse();
    assertThat(check.execute().getMessage()).contains("boom");
    status.databaseUp();
    assertThat(check.execute().isHealthy()).isTrue();
  }

  @Test
  void kafkaRefusingBatchesIsUnhealthy() {
    RelayHealthCheck check = new RelayHealthCheck(status, gate(true, null));
    status.kafkaDown("no brokers");
    assertThat(check.execute().getMessage()).contains("no brokers");
    status.kafkaUp();
    assertThat(check.execute().isHealthy()).isTrue();
  }

  @Test
  void aThreadThatDiedMakesTheRelayUnhealthyForGood() {
    RelayHealthCheck check = new RelayHealthCheck(status, gate(true, null));

    status.threadDied("outbox-relay", new OutOfMemoryError("Java heap space"));
    status.databaseUp();
    status.kafkaUp();

    assertThat(check.execute().isHealthy()).isFalse();
    assertThat(check.execute().getMessage())
        .contains("the outbox-relay thread stopped")
        .contains("Java heap space")
        .contains("restart the relay");
  }

  @Test
  void aStandbyIsJudgedByWhatItDoesNowNotByItsLastClaimButStillByADeadThread() {
    status.kafkaDown("no brokers"); // met while it was active, before it lost the lease
    status.databaseDown("connection refused");

    assertThat(new RelayHealthCheck(status, gate(true, null)).execute().isHealthy()).isFalse();
    assertThat(new RelayHealthCheck(status, gate(false, null)).execute().isHealthy()).isTrue();

    status.threadDied("outbox-relay", new IllegalStateException("bug"));
    assertThat(new RelayHealthCheck(status, gate(false, null)).execute().isHealthy()).isFalse();
  }
}
