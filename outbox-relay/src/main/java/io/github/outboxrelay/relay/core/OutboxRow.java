package io.github.outboxrelay.relay.core;

import java.util.Map;
import java.util.UUID;

/**
 * One claimed, unpublished outbox row: what the relay needs to publish it. {@code defect} is null
 * for a well-formed row, otherwise why it cannot be published as stored (e.g. headers that are not
 * a JSON object of strings, possible only in rows written by hand): such a row fails permanently
 * and is parked rather than stopping the relay.
 */
public record OutboxRow(
    long seq,
    UUID id,
    String aggregateType,
    String aggregateId,
    String eventType,
    String topic,
    byte[] payload,
    Map<String, String> headers,
    int attempts,
    String defect) {}
