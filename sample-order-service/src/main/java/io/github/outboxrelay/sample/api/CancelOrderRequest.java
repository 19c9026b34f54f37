package io.github.outboxrelay.sample.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code POST /orders/{id}/cancel}: the version the client last saw (optimistic locking). */
public record CancelOrderRequest(@NotNull @Min(0) Integer version) {}
