package io.github.outboxrelay.relay.loop;

import io.github.outboxrelay.relay.core.PublishedRows;
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
    Duration shutdownTimeout,
    PublishedRows published) {}
