package io.github.outboxrelay.relay.health;

import com.codahale.metrics.health.HealthCheck;
import io.github.outboxrelay.relay.core.ClaimGate;
import io.github.outboxrelay.relay.loop.RelayStatus;
import java.util.Optional;

/**
 * Healthy when this relay can do its part: it claims and publishes, or it stands by while another
 * relay holds the lease. Unhealthy, with the reason, when it cannot take part in the lease, when
 * its claims fail (even while a pooled connection answers, say for lack of privileges), or when
 * Kafka refuses its batches.
 */
public final class RelayHealthCheck extends HealthCheck {

  private final RelayStatus status;
  private final ClaimGate gate;

  public RelayHealthCheck(RelayStatus status, ClaimGate gate) {
    this.status = status;
    this.gate = gate;
  }

  @Override
  protected Result check() {
    // A standby neither claims nor publishes, so what its last claim or batch met before it lost
    // the lease says nothing about it now; only a failure that needs a restart does.
    Optional<String> problem =
        gate.problem().or(() -> gate.isOpen() ? status.problem() : status.fatalProblem());
    if (problem.isPresent()) {
      return Result.unhealthy(problem.get());
    }
    return Result.healthy(
        gate.isOpen() ? "claiming and publishing" : "standing by: another relay holds the lease");
  }
}
