package io.github.outboxrelay.writer;

import io.github.outboxrelay.writer.internal.ReservedHeaders;

/**
 * The field rules of an {@link OutboxEvent}; each failure names the field and the rule. {@link
 * #requireNonNull} is also the API's one null check, so every null argument fails alike.
 */
final class EventRules {

  private EventRules() {}

  static void requireNonNull(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
  }

  /** Non-blank text that fits the outbox's {@code VARCHAR(255)} columns. */
  static void requireName(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > OutboxEvent.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          field
              + " must be at most "
              + OutboxEvent.MAX_NAME_LENGTH
              + " characters, but has "
              + value.length());
    }
    requireEncodable(value, field);
  }

  static void requireHeaderName(String name) {
    requireName(name, "header name");
    if (ReservedHeaders.isReserved(name)) {
      throw new IllegalArgumentException(
          "header name '"
              + name
              + "' is reserved for the relay's envelope headers "
              + ReservedHeaders.reserved()
              + "; choose another name");
    }
  }

  /** Text that PostgreSQL and UTF-8 can hold unchanged. */
  static void requireEncodable(String value, String field) {
    // PostgreSQL text and jsonb cannot hold U+0000; the insert would fail half-way through.
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          field + " must not contain the NUL character (PostgreSQL text cannot store it)");
    }
    requireWellFormedUtf16(value, field);
  }

  /**
   * An unpaired UTF-16 surrogate has no UTF-8 encoding: the driver, or {@code String.getBytes},
   * would store {@code ?} instead, silently changing a Kafka key, header or payload.
   */
  static void requireWellFormedUtf16(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            field
                + " must not contain an unpaired UTF-16 surrogate (at index "
                + i
                + "): it has no UTF-8 encoding and would be stored as '?'");
      }
    }
  }
}
