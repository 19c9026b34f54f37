package io.github.outboxrelay.relay.health;

import com.codahale.metrics.health.HealthCheck;
import io.github.outboxrelay.relay.loop.BacklogProbe;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Unhealthy when the oldest unpublished event has waited longer than the threshold: events are
 * written faster than they are published, or publishing is stuck.
 */
public final class LagHealthCheck extends HealthCheck {

  private final BacklogProbe probe;
  private final Duration threshold;

  public LagHealthCheck(BacklogProbe probe, Duration threshold) {
    this.probe = probe;
    this.threshold = threshold;
  }

  @Override
  protected Result check() {
    Optional<BacklogProbe.Snapshot> snapshot = probe.snapshot();
    if (snapshot.isEmpty()) {
      return Result.unhealthy("cannot read the outbox backlog");
    }
    BacklogProbe.Snapshot s = snapshot.get();
    String detail =
        String.format(
            Locale.ROOT,
            "oldest unpublished event waited %d ms (threshold %d ms); %d waiting, %d parked",
            s.oldestAge().toMillis(),
            threshold.toMillis(),
            s.pending(),
            s.parked());
    return s.oldestAge().compareTo(threshold) > 0
        ? Result.unhealthy(detail)
        : Result.healthy(detail);
  }
}
