package io.github.outboxrelay.testing.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaFixtureIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  @Test
  void consumesExactlyTheProducedRecordsWithKeysValuesAndHeaders() throws Exception {
    String topic = kafka.createTopic("fixture", 1);
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(
          new ProducerRecord<>(
              topic,
              null,
              bytes("order-" + (i % 3)),
              bytes("payload-" + i),
              List.of(
                  new RecordHeader("id", bytes("event-" + i)),
                  new RecordHeader("type", bytes("OrderCreated")))));
    }
    produce(kafka.producerProperties(), sent);

    List<ConsumerRecord<byte[], byte[]>> received = kafka.consume(topic, sent.size(), TIMEOUT);

    assertThat(received).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      ConsumerRecord<byte[], byte[]> record = received.get(i);
      assertThat(record.offset()).isEqualTo(i);
      assertThat(string(record.key())).isEqualTo("order-" + (i % 3));
      assertThat(string(record.value())).isEqualTo("payload-" + i);
      assertThat(headers(record.headers()))
          .containsExactly(Map.entry("id", "event-" + i), Map.entry("type", "OrderCreated"));
    }
  }

  @Test
  void keepsPerKeyOrderAcrossPartitions() throws Exception {
    String topic = kafka.createTopic("fixture-partitioned", 3);
    assertThat(
            kafka
                .admin()
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions())
        .hasSize(3);
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add(new ProducerRecord<>(topic, bytes("key-" + (i % 5)), bytes(Integer.toString(i))));
    }
    produce(kafka.producerProperties(), sent);

    List<ConsumerRecord<byte[], byte[]>> received = kafka.consume(topic, sent.size(), TIMEOUT);

    assertThat(received).hasSize(sent.size());
    Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey =
        received.stream().collect(Collectors.groupingBy(r -> string(r.key())));
    byKey.forEach(
        (key, records) -> {
          assertThat(records)
              .extracting(ConsumerRecord::partition)
              .containsOnly(records.get(0).partition());
          assertThat(records).extracting(r -> Integer.parseInt(string(r.value()))).isSorted();
          assertThat(records).extracting(ConsumerRecord::offset).isSorted();
        });
    assertThat(byKey).hasSize(5);
  }

  @Test
  void consumeReturnsWhatArrivedWhenFewerRecordsThanExpected() throws Exception {
    String topic = kafka.createTopic("fixture-short", 1);
    produce(kafka.producerProperties(), List.of(new ProducerRecord<>(topic, bytes("only"))));

    assertThat(kafka.consume(topic, 2, Duration.ofSeconds(2))).hasSize(1);
  }

  @Test
  void createdTopicsAreUniqueAndStartWithThePrefix() {
    String first = kafka.createTopic("fixture-unique", 1);
    String second = kafka.createTopic("fixture-unique", 1);

    assertThat(first).startsWith("fixture-unique").isNotEqualTo(second);
  }

  @Nested
  class AsAnInstanceField {

    @RegisterExtension final KafkaExtension instanceKafka = new KafkaExtension();

    @Test
    void usesTheSharedBroker() throws Exception {
      String topic = instanceKafka.createTopic("fixture-instance", 1);
      produce(instanceKafka.producerProperties(), List.of(new ProducerRecord<>(topic, bytes("x"))));

      assertThat(instanceKafka.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
      assertThat(instanceKafka.consume(topic, 1, TIMEOUT)).hasSize(1);
    }
  }

  static void produce(java.util.Properties properties, List<ProducerRecord<byte[], byte[]>> records)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
      List<Future<RecordMetadata>> acks = records.stream().map(producer::send).toList();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  static String string(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  private static List<Map.Entry<String, String>> headers(Iterable<Header> headers) {
    return StreamSupport.stream(headers.spliterator(), false)
        .map(h -> Map.entry(h.key(), string(h.value())))
        .toList();
  }
}
