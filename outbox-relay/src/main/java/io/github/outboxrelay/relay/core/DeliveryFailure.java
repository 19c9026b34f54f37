package io.github.outboxrelay.relay.core;

/** Why one row was not delivered, and what that means for the row and its batch. */
public record DeliveryFailure(long seq, Kind kind, String error) {

  public enum Kind {
    /**
     * The row cannot be turned into a Kafka record as stored (a NULL where a value is needed, an
     * illegal topic, headers that are not an object of strings, a reserved header name): no retry
     * can change that, so the row is parked at once. Only rows written around the writer get here.
     */
    MALFORMED,
    /**
     * The event itself is unacceptable (too large, illegal topic, not authorised): the same record
     * can never succeed. Counts toward parking; the rest of its batch is marked published.
     */
    PERMANENT,
    /**
     * Kafka acknowledged other rows of the batch (or its admin client says the topic is unknown)
     * but has no metadata for this row's topic: the topic is missing. Counts toward parking, so a
     * missing topic parks its events after {@code maxAttempts} instead of holding the relay back
     * for ever; otherwise handled like a transient failure.
     */
    MISSING_TOPIC,
    /**
     * The cluster's passing trouble (broker away, timeouts, leader changes). Never counts toward
     * parking, so an outage of any length parks nothing. The row is sent again, and so that no
     * later event of its key overtakes it, those events are not marked: the ones in its batch are
     * held back and the batches sent after it go again.
     */
    TRANSIENT
  }

  /** Whether the same record can never succeed: the row is not sent again for this failure. */
  public boolean permanent() {
    return kind == Kind.PERMANENT || kind == Kind.MALFORMED;
  }

  /** Whether this failure counts as one of the row's {@code maxAttempts}. */
  public boolean countsTowardParking() {
    return kind != Kind.TRANSIENT;
  }

  /** The attempts after which this failure parks the row. */
  public int attemptsBeforeParking(int maxAttempts) {
    return kind == Kind.MALFORMED ? 1 : maxAttempts;
  }
}
