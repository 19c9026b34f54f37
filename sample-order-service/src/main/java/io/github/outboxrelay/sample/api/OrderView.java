package io.github.outboxrelay.sample.api;

import java.time.Instant;
import java.util.UUID;

/** An order as the API shows it. */
public record OrderView(
    UUID id,
    String customerId,
    String productId,
    int quantity,
    String status,
    int version,
    Instant createdAt) {}
