package io.github.outboxrelay.sample.core;

import io.github.outboxrelay.sample.api.OrderView;
import java.time.Instant;
import java.util.UUID;

/** An order row. */
public record Order(
    UUID id,
    String customerId,
    String productId,
    int quantity,
    OrderStatus status,
    int version,
    Instant createdAt) {

  public OrderView view() {
    return new OrderView(id, customerId, productId, quantity, status.name(), version, createdAt);
  }
}
