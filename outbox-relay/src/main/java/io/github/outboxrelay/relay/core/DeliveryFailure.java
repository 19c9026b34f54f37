package io.github.outboxrelay.relay.core;

/** Why one row was not delivered, and what that means for the row and its batch. */
public record DeliveryFailure(long seq, Kind kind, String error) {

  public enum Kind {
    /**
     * The event itself is unacceptable (too large, illegal topic, not authorised): the same record
     * can never succeed. Counts toward parking; the rest of its batch is marked published.
     */
    PERMANENT,
    /**
     * Kafka acknowledged other rows of the batch but has no metadata for this row's topic: the
     * topic is missing. Counts toward parking, so a missing topic parks its events after {@code
     * maxAttempts} instead of holding the relay back for ever; like a transient failure, its batch
     * goes again as a whole.
     */
    MISSING_TOPIC,
    /**
     * The cluster's passing trouble (broker away, timeouts, leader changes). Never counts toward
     * parking, so an outage of any length parks nothing. Nothing in its batch is marked: the batch
     * goes again as a whole, so that no later event of the same key overtakes this one.
     */
    TRANSIENT
  }

  public boolean permanent() {
    return kind == Kind.PERMANENT;
  }

  /** Whether this failure counts as one of the row's {@code maxAttempts}. */
  public boolean countsTowardParking() {
    return kind != Kind.TRANSIENT;
  }
}
