package io.github.outboxrelay.sample.api.events;

import java.time.Instant;
import java.util.UUID;

/** Payload of the {@code OrderCancelled} event (aggregate {@code order}, key = order id). */
public record OrderCancelled(UUID orderId, String productId, int quantity, Instant cancelledAt) {

  public static final String TYPE = "OrderCancelled";
}
