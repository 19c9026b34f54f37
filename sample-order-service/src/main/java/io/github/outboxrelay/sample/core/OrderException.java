package io.github.outboxrelay.sample.core;

/**
 * A business rule said no: the transaction rolls back and is never retried. Carries the HTTP status
 * the API answers with.
 */
public class OrderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public OrderException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static OrderException notFound(String what) {
    return new OrderException(404, what + " does not exist");
  }

  public static OrderException conflict(String message) {
    return new OrderException(409, message);
  }

  public static OrderException unprocessable(String message) {
    return new OrderException(422, message);
  }
}
