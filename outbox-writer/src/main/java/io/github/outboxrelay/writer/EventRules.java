package io.github.outboxrelay.writer;

/** The field rules of an {@link OutboxEvent}; each failure names the field and the rule. */
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
    requireNoNul(value, field);
  }

  static void requireHeaderName(String name) {
    requireName(name, "header name");
    if (OutboxHeaders.isReserved(name)) {
      throw new IllegalArgumentException(
          "header name '"
              + name
              + "' is reserved for the relay's envelope headers "
              + OutboxHeaders.reserved()
              + "; choose another name");
    }
  }

  /** PostgreSQL text and jsonb cannot hold U+0000; the insert would fail half-way through. */
  static void requireNoNul(String value, String field) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          field + " must not contain the NUL character (PostgreSQL text cannot store it)");
    }
  }
}
