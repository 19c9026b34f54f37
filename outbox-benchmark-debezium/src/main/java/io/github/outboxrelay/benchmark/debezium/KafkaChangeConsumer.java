package io.github.outboxrelay.benchmark.debezium;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Sends each batch the engine hands over, waits until Kafka has acknowledged all of it, and only
 * then marks it processed, so offsets never pass an event Kafka does not have: at-least-once, as
 * Debezium Server's Kafka sink does it. Key, value and headers go as raw bytes (string columns in
 * UTF-8), the shape the relay sends.
 */
final class KafkaChangeConsumer
    implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>, AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final AckStatus status;

  KafkaChangeConsumer(Properties producerProperties, AckStatus status) {
    this.producer = new KafkaProducer<>(producerProperties);
    this.status = status;
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    CountDownLatch acknowledged = new CountDownLatch(events.size());
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (RecordChangeEvent<SourceRecord> event : events) {
      SourceRecord record = event.record();
      if (record.value() == null) {
        acknowledged.countDown(); // not an outbox insert: nothing to send
        continue;
      }
      producer.send(
          toProducerRecord(record),
          (metadata, exception) -> {
            if (exception == null) {
              status.acknowledged();
            } else {
              failure.compareAndSet(null, exception);
            }
            acknowledged.countDown();
          });
    }
    acknowledged.await();
    if (failure.get() != null) {
      throw new IllegalStateException("Kafka refused a record", failure.get());
    }
    for (RecordChangeEvent<SourceRecord> event : events) {
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
  }

  static ProducerRecord<byte[], byte[]> toProducerRecord(SourceRecord record) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header.key(), bytes(header.value()));
    }
    return new ProducerRecord<>(
        record.topic(),
        record.kafkaPartition(),
        bytes(record.key()),
        bytes(record.value()),
        headers);
  }

  static byte[] bytes(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] array) {
      return array;
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] array = new byte[buffer.remaining()];
      buffer.duplicate().get(array);
      return array;
    }
    return value.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
