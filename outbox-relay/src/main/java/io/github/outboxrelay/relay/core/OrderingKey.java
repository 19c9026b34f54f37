package io.github.outboxrelay.relay.core;

/**
 * What the relay keeps events in order by: their topic and aggregate id (the Kafka record's key).
 * Kafka keeps order per partition, and one key of one topic always lands in one partition.
 */
public record OrderingKey(String topic, String aggregateId) {

  public static OrderingKey of(OutboxRow row) {
    return new OrderingKey(row.topic(), row.aggregateId());
  }
}
