package io.github.outboxrelay.relay.core;

import java.time.Instant;
import java.util.UUID;

/** An event the relay gave up on after repeated permanent failures, kept for inspection. */
public record ParkedEvent(
    long seq,
    UUID id,
    String topic,
    String aggregateId,
    String eventType,
    int attempts,
    String lastError,
    Instant parkedAt) {}
