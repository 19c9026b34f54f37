package io.github.outboxrelay.sample.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.github.outboxrelay.sample.api.StrictJson;
import io.github.outboxrelay.sample.api.events.OrderPlaced;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventReaderTest {

  private static final UUID RELAYS_ID = UUID.randomUUID();
  private static final UUID FORGED_ID = UUID.randomUUID();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Nested
  class EnvelopeHeaders {

    @Test
    void aSecondIdHeaderAfterTheRelaysIsIgnored() {
      // As the relay sends a row that carries its own "id" header: envelope first.
      RecordHeaders headers = new RecordHeaders();
      headers.add("id", utf8(RELAYS_ID.toString()));
      headers.add("type", utf8("OrderPlaced"));
      headers.add("id", utf8(FORGED_ID.toString()));
      headers.add("type", utf8("OrderCancelled"));

      assertThat(EventReader.eventId(headers)).contains(RELAYS_ID);
      assertThat(EventReader.envelopeHeader(headers, "type")).isEqualTo("OrderPlaced");
    }

    @Test
    void aFirstIdHeaderWithoutAValueIsMissingRatherThanALaterOneRead() {
      RecordHeaders headers = new RecordHeaders();
      headers.add("id", null);
      headers.add("id", utf8(FORGED_ID.toString()));

      assertThat(EventReader.eventId(headers)).isEmpty();
      assertThat(EventReader.envelopeHeader(headers, "type")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-1-1-1-1", "+0000001-0001-0001-0001-000000000001", "", "not-a-uuid"})
    void anIdNotInTheFormTheRelayWritesIsMissing(String id) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("id", utf8(id));

      assertThat(EventReader.eventId(headers)).isEmpty();
    }
  }

  @Nested
  class Payloads {

    private final EventReader reader = reader();

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"orderId\":\"%s\",\"customerId\":\"c\\u0000\",\"productId\":\"w\",\"quantity\":1,"
              + "\"placedAt\":\"2026-01-01T00:00:00Z\"}",
          "{\"orderId\":\"%s\",\"customerId\":\"c\",\"productId\":\"w\\ud800\",\"quantity\":1,"
              + "\"placedAt\":\"2026-01-01T00:00:00Z\"}",
          "{\"orderId\":\"%s\",\"customerId\":\"c\",\"productId\":\"w\",\"quantity\":1}",
          "{\"orderId\":\"%s\",\"productId\":\"w\",\"quantity\":1,"
              + "\"placedAt\":\"2026-01-01T00:00:00Z\"}",
        })
    void anEventTheProjectionCouldNotStoreIsUnreadable(String payload) {
      EventReader.Read read = reader.read(record("OrderPlaced", payload.formatted(RELAYS_ID)));

      assertThat(read.eventId()).contains(RELAYS_ID);
      assertThat(read.event()).isNull();
    }

    @Test
    void aCompleteEventIsRead() {
      EventReader.Read read =
          reader.read(
              record(
                  "OrderPlaced",
                  "{\"orderId\":\"%s\",\"customerId\":\"c\",\"productId\":\"w\",\"quantity\":1,\"placedAt\":\"2026-01-01T00:00:00Z\"}"
                      .formatted(RELAYS_ID)));

      assertThat(read.event()).isInstanceOf(OrderPlaced.class);
      assertThat(read.type()).isEqualTo("OrderPlaced");
    }

    @Test
    void aTypeThatCouldNotBeStoredIsRecordedAsUnreadable() {
      assertThat(reader.read(record("Order\u0000Placed", "{}")).type()).isEqualTo("unreadable");
      assertThat(reader.read(record(null, "{}")).type()).isEqualTo("unreadable");
    }
  }

  private static EventReader reader() {
    var json = Jackson.newObjectMapper();
    StrictJson.apply(json);
    return new EventReader(json);
  }

  private static ConsumerRecord<byte[], byte[]> record(String type, String payload) {
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("t", 0, 0L, utf8("key"), utf8(payload));
    record.headers().add("id", utf8(RELAYS_ID.toString()));
    record.headers().add("type", type == null ? null : utf8(type));
    return record;
  }
}
