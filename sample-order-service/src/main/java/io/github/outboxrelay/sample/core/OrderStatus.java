package io.github.outboxrelay.sample.core;

public enum OrderStatus {
  PLACED,
  CANCELLED
}
