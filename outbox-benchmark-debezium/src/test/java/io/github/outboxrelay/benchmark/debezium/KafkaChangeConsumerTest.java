package io.github.outboxrelay.benchmark.debezium;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class KafkaChangeConsumerTest {

  @Test
  void sendsWhatTheRouterEmittedAsRawBytesWithItsHeaders() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("id", "0b1e7f2c-5d6a-4c3b-9e8f-1a2b3c4d5e6f");
    headers.addString("type", "OrderPlaced");
    SourceRecord routed =
        new SourceRecord(
            Map.of(),
            Map.of(),
            "bench.events",
            null,
            Schema.STRING_SCHEMA,
            "order-42",
            Schema.BYTES_SCHEMA,
            "{\"orderId\":1}".getBytes(UTF_8),
            null,
            headers);

    ProducerRecord<byte[], byte[]> record = KafkaChangeConsumer.toProducerRecord(routed);

    assertThat(record.topic()).isEqualTo("bench.events");
    assertThat(record.partition()).isNull(); // the producer partitions by key, as for the relay
    assertThat(new String(record.key(), UTF_8)).isEqualTo("order-42");
    assertThat(new String(record.value(), UTF_8)).isEqualTo("{\"orderId\":1}");
    assertThat(new String(record.headers().lastHeader("id").value(), UTF_8))
        .isEqualTo("0b1e7f2c-5d6a-4c3b-9e8f-1a2b3c4d5e6f");
    assertThat(new String(record.headers().lastHeader("type").value(), UTF_8))
        .isEqualTo("OrderPlaced");
  }

  @Test
  void copiesOnlyTheRemainingBytesOfABuffer() {
    ByteBuffer buffer = ByteBuffer.wrap("xxpayload".getBytes(UTF_8));
    buffer.position(2);

    assertThat(new String(KafkaChangeConsumer.bytes(buffer), UTF_8)).isEqualTo("payload");
    assertThat(buffer.position()).isEqualTo(2);
    assertThat(KafkaChangeConsumer.bytes(null)).isNull();
  }

  @Test
  void takesOnlyTheKeysOfOnePrefix() {
    Properties all = new Properties();
    all.setProperty("engine.slot.name", "s");
    all.setProperty("producer.acks", "all");

    assertThat(DebeziumOutboxMain.withPrefix(all, "producer."))
        .containsOnly(Map.entry("acks", "all"));
  }
}
