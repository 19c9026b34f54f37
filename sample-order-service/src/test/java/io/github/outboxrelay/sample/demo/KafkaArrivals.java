package io.github.outboxrelay.sample.demo;

import io.github.outboxrelay.writer.OutboxHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each order's {@code OrderPlaced} reached Kafka, read back from the topic after the run: the
 * relay's share of the way from order to projection. The demo creates its topic with {@code
 * LogAppendTime}, so a record's timestamp is when the broker appended it; on a topic someone else
 * created it may be the relay's send time instead, which {@link #timestampType} tells.
 */
record KafkaArrivals(Map<String, Long> placedAtMillisByOrder, TimestampType timestampType) {

  static KafkaArrivals read(String bootstrapServers, String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    Map<String, Long> arrivals = new HashMap<>();
    TimestampType type = TimestampType.NO_TIMESTAMP_TYPE;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Header eventType = record.headers().lastHeader(OutboxHeaders.TYPE);
          if (eventType != null
              && "OrderPlaced".equals(new String(eventType.value(), StandardCharsets.UTF_8))) {
            // The key is the aggregate id, the order's; a copy sent twice keeps the first.
            arrivals.putIfAbsent(
                new String(record.key(), StandardCharsets.UTF_8), record.timestamp());
            type = record.timestampType();
          }
        }
      }
    }
    return new KafkaArrivals(arrivals, type);
  }

  /** What a record's timestamp says, in the report's words. */
  String stage() {
    return timestampType == TimestampType.LOG_APPEND_TIME ? "in Kafka" : "sent by the relay";
  }
}
