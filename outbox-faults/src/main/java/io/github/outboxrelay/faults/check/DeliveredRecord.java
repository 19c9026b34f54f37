package io.github.outboxrelay.faults.check;

import java.util.Comparator;

/**
 * One record as an independent consumer read it from the topic; {@code id} is its first {@code id}
 * header (the relay's envelope), null when it has none.
 */
public record DeliveredRecord(
    String topic,
    int partition,
    long offset,
    long timestampMillis,
    String key,
    String id,
    String type) {

  /** Log order: partition by partition, offset by offset. */
  public static final Comparator<DeliveredRecord> LOG_ORDER =
      Comparator.comparing(DeliveredRecord::topic)
          .thenComparingInt(DeliveredRecord::partition)
          .thenComparingLong(DeliveredRecord::offset);

  /** Its key with its topic, as {@link CommittedEvent#orderKey()}. */
  public String orderKey() {
    return topic + "/" + key;
  }
}
