package io.github.outboxrelay.sample.api;

import java.util.List;

/** Every error the API returns: the HTTP status, a one-line message, and details if any. */
public record ErrorMessage(int code, String message, List<String> details) {

  public ErrorMessage(int code, String message) {
    this(code, message, List.of());
  }
}
