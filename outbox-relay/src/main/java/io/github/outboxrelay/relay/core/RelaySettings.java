package io.github.outboxrelay.relay.core;

import java.time.Duration;

/** The loop's settings as plain values, so the loop does not depend on the YAML binding. */
public record RelaySettings(
    int batchSize,
    int inFlightBatches,
    Duration pollInterval,
    Duration activePollInterval,
    int maxAttempts,
    Duration backoffInitial,
    Duration backoffMax,
    Duration shutdownTimeout) {

  public static RelaySettings from(RelayFactory factory) {
    return new RelaySettings(
        factory.getBatchSize(),
        factory.getInFlightBatches(),
        factory.getPollInterval().toJavaDuration(),
        factory.getActivePollInterval().toJavaDuration(),
        factory.getMaxAttempts(),
        factory.getBackoffInitial().toJavaDuration(),
        factory.getBackoffMax().toJavaDuration(),
        factory.getShutdownTimeout().toJavaDuration());
  }
}
