package io.github.outboxrelay.sample.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /orders}: who orders how many of what. */
public record PlaceOrderRequest(
    @NotBlank
        @Size(max = 64)
        @StorableText
        @Pattern(
            regexp = "[A-Za-z0-9._:-]+",
            message = "may contain only letters, digits and . _ : -")
        String customerId,
    @NotBlank @Size(max = 64) @StorableText String productId,
    @NotNull @Min(1) @Max(PlaceOrderRequest.MAX_QUANTITY) Integer quantity) {

  /** More than this in one order is a typo or an attack, not a purchase. */
  public static final int MAX_QUANTITY = 1000;
}
