package io.github.outboxrelay.relay.kafka;

import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.writer.OutboxHeaders;
import io.github.outboxrelay.writer.internal.ReservedHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.internals.Topic;

/**
 * Turns a claimed row into the Kafka record the relay sends, or says exactly why it cannot. The
 * writer never produces such rows, but a row written by hand, by another tool or into a table
 * without the shipped constraints may hold anything; every check here is one that would otherwise
 * fail inside the producer, or worse, send a record consumers cannot trust.
 */
final class RecordBuilder {

  private RecordBuilder() {}

  /**
   * @throws MalformedRowException naming the column and the rule, for a row that cannot be sent as
   *     stored
   */
  static ProducerRecord<byte[], byte[]> build(OutboxRow row) {
    if (row.defect() != null) {
      throw new MalformedRowException(row.defect());
    }
    requirePresent(row.id(), "id");
    requirePresent(row.aggregateType(), "aggregatetype");
    requirePresent(row.aggregateId(), "aggregateid");
    requirePresent(row.eventType(), "type");
    requirePresent(row.topic(), "topic");
    requirePresent(row.payload(), "payload");
    try {
      Topic.validate(row.topic());
    } catch (InvalidTopicException e) {
      throw new MalformedRowException("topic is not a legal Kafka topic name: " + e.getMessage());
    }
    RecordHeaders headers = new RecordHeaders();
    // The envelope headers come first and are the only ones with these names, so a consumer
    // reading either the first or the last "id" header reads the relay's.
    headers.add(new RecordHeader(OutboxHeaders.ID, utf8(row.id().toString())));
    headers.add(new RecordHeader(OutboxHeaders.TYPE, utf8(row.eventType())));
    headers.add(new RecordHeader(OutboxHeaders.AGGREGATE_TYPE, utf8(row.aggregateType())));
    for (Map.Entry<String, String> header : row.headers().entrySet()) {
      if (ReservedHeaders.isReserved(header.getKey())) {
        throw new MalformedRowException(
            "header '"
                + header.getKey()
                + "' would forge one of the relay's envelope headers "
                + ReservedHeaders.reserved());
      }
      requirePresent(header.getValue(), "header '" + header.getKey() + "'");
      headers.add(new RecordHeader(header.getKey(), utf8(header.getValue())));
    }
    return new ProducerRecord<>(row.topic(), null, utf8(row.aggregateId()), row.payload(), headers);
  }

  private static void requirePresent(Object value, String column) {
    if (value == null) {
      throw new MalformedRowException(column + " is NULL");
    }
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** A row that cannot be turned into a record as stored; it is parked at once. */
  static final class MalformedRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedRowException(String message) {
      super(message, null, false, false);
    }
  }
}
