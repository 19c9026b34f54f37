package io.github.outboxrelay.sample.api.events;

import java.time.Instant;
import java.util.UUID;

/** Payload of the {@code OrderPlaced} event (aggregate {@code order}, key = order id). */
public record OrderPlaced(
    UUID orderId, String customerId, String productId, int quantity, Instant placedAt) {

  public static final String TYPE = "OrderPlaced";
}
