package io.github.outboxrelay.relay.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.kafka.RecordBuilder.MalformedRowException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a row must hold to become a record, and the record it becomes. */
class RecordBuilderTest {

  private static final OutboxRow VALID =
      new OutboxRow(
          7,
          UUID.randomUUID(),
          "order",
          "order-7",
          "OrderPlaced",
          "orders",
          "{}".getBytes(StandardCharsets.UTF_8),
          Map.of("traceparent", "abc"),
          0,
          null);

  @Test
  void recordCarriesKeyValueAndEnvelopeHeadersFirst() {
    ProducerRecord<byte[], byte[]> record = RecordBuilder.build(VALID);

    assertThat(record.topic()).isEqualTo("orders");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("order-7");
    assertThat(record.value()).isEqualTo(VALID.payload());
    assertThat(record.headers().toArray())
        .extracting(Header::key)
        .containsExactly("id", "type", "aggregatetype", "traceparent");
    assertThat(header(record, "id")).isEqualTo(VALID.id().toString());
    assertThat(header(record, "type")).isEqualTo("OrderPlaced");
    assertThat(header(record, "aggregatetype")).isEqualTo("order");
    assertThat(header(record, "traceparent")).isEqualTo("abc");
  }

  static Stream<Arguments> malformedRows() {
    return Stream.of(
        malformed(
            "a defect found while reading", r -> with(r, r.topic(), r.headers(), "bad"), "bad"),
        malformed(
            "no id",
            r ->
                copy(
                    r,
                    null,
                    r.aggregateType(),
                    r.aggregateId(),
                    r.eventType(),
                    r.topic(),
                    r.payload()),
            "id is NULL"),
        malformed(
            "no aggregate type",
            r -> copy(r, r.id(), null, r.aggregateId(), r.eventType(), r.topic(), r.payload()),
            "aggregatetype is NULL"),
        malformed(
            "no key",
            r -> copy(r, r.id(), r.aggregateType(), null, r.eventType(), r.topic(), r.payload()),
            "aggregateid is NULL"),
        malformed(
            "no type",
            r -> copy(r, r.id(), r.aggregateType(), r.aggregateId(), null, r.topic(), r.payload()),
            "type is NULL"),
        malformed("no topic", r -> with(r, null, r.headers(), null), "topic is NULL"),
        malformed(
            "no payload",
            r ->
                copy(r, r.id(), r.aggregateType(), r.aggregateId(), r.eventType(), r.topic(), null),
            "payload is NULL"),
        malformed(
            "empty topic",
            r -> with(r, "", r.headers(), null),
            "topic is not a legal Kafka topic name"),
        malformed(
            "topic '..'",
            r -> with(r, "..", r.headers(), null),
            "topic is not a legal Kafka topic name"),
        malformed(
            "topic with a space",
            r -> with(r, "a b", r.headers(), null),
            "topic is not a legal Kafka topic name"),
        malformed(
            "topic too long",
            r -> with(r, "t".repeat(250), r.headers(), null),
            "topic is not a legal Kafka topic name"),
        malformed(
            "forged id header",
            r -> with(r, r.topic(), Map.of("id", "x"), null),
            "header 'id' would forge"),
        malformed(
            "forged type header",
            r -> with(r, r.topic(), Map.of("Type", "x"), null),
            "header 'Type' would forge"),
        malformed(
            "forged aggregatetype header",
            r -> with(r, r.topic(), Map.of("aggregatetype", "x"), null),
            "header 'aggregatetype' would forge"),
        malformed(
            "a null header value",
            r -> with(r, r.topic(), nullValued(), null),
            "header 'k' is NULL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRows")
  void aRowThatCannotBecomeARecordIsRefusedWithItsReason(
      String shape, OutboxRow row, String reason) {
    assertThatThrownBy(() -> RecordBuilder.build(row))
        .isInstanceOf(MalformedRowException.class)
        .hasMessageContaining(reason);
  }

  private static Arguments malformed(String shape, UnaryOperator<OutboxRow> change, String reason) {
    return Arguments.of(shape, change.apply(VALID), reason);
  }

  private static OutboxRow with(
      OutboxRow r, String topic, Map<String, String> headers, String defect) {
    return new OutboxRow(
        r.seq(),
        r.id(),
        r.aggregateType(),
        r.aggregateId(),
        r.eventType(),
        topic,
        r.payload(),
        headers,
        r.attempts(),
        defect);
  }

  private static OutboxRow copy(
      OutboxRow r,
      UUID id,
      String aggregateType,
      String aggregateId,
      String eventType,
      String topic,
      byte[] payload) {
    return new OutboxRow(
        r.seq(),
        id,
        aggregateType,
        aggregateId,
        eventType,
        topic,
        payload,
        r.headers(),
        r.attempts(),
        null);
  }

  private static Map<String, String> nullValued() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("k", null);
    return headers;
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
