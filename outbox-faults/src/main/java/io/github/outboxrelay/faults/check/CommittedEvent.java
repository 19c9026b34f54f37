package io.github.outboxrelay.faults.check;

/**
 * One row of the outbox table: an event PostgreSQL says was committed, the truth every delivery is
 * checked against. {@code seq} is its write order.
 */
public record CommittedEvent(
    long seq,
    String id,
    String topic,
    String aggregateId,
    String type,
    boolean parked,
    String lastError) {

  /** Its Kafka key with its topic: the unit within which order must hold. */
  public String orderKey() {
    return topic + "/" + aggregateId;
  }
}
