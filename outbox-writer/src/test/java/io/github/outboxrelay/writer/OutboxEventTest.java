package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OutboxEventTest {

  static OutboxEvent.Builder valid() {
    return OutboxEvent.builder()
        .aggregateType("order")
        .aggregateId("42")
        .eventType("OrderPlaced")
        .jsonPayload("{\"id\":42}");
  }

  @Test
  void generatesAVersion7IdWhenNoneIsGiven() {
    OutboxEvent event = valid().build();

    assertThat(event.id().version()).isEqualTo(7);
    assertThat(event.id().variant()).isEqualTo(2);
  }

  @Test
  void keepsASuppliedIdForIdempotentRewrites() {
    UUID id = UUID.randomUUID();

    assertThat(valid().id(id).build().id()).isEqualTo(id);
  }

  @Test
  void jsonPayloadIsStoredAsUtf8Bytes() {
    OutboxEvent event = valid().jsonPayload("{\"name\":\"Zoë\"}").build();

    assertThat(event.payload()).isEqualTo("{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void isImmutableThoughItHoldsAnArray() {
    byte[] payload = {1, 2, 3};
    Map<String, String> headers = new HashMap<>(Map.of("trace", "abc"));
    OutboxEvent event = valid().payload(payload).headers(headers).build();

    payload[0] = 9;
    event.payload()[1] = 9;
    headers.put("other", "x");

    assertThat(event.payload()).containsExactly(1, 2, 3);
    assertThat(event.headers()).containsExactly(Map.entry("trace", "abc"));
    assertThatThrownBy(() -> event.headers().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalEventsCompareByPayloadContent() {
    UUID id = UUID.randomUUID();

    assertThat(valid().id(id).payload(new byte[] {1}).build())
        .isEqualTo(valid().id(id).payload(new byte[] {1}).build())
        .hasSameHashCodeAs(valid().id(id).payload(new byte[] {1}).build())
        .isNotEqualTo(valid().id(id).payload(new byte[] {2}).build());
  }

  @Test
  void toStringShowsThePayloadSizeButNotItsContent() {
    OutboxEvent event = valid().jsonPayload("{\"card\":\"4111\"}").build();

    assertThat(event.toString()).contains("payload=15 bytes").doesNotContain("4111");
  }

  @Nested
  class RequiredFields {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\t"})
    void aggregateTypeMustNotBeNullOrBlank(String value) {
      assertThatThrownBy(() -> valid().aggregateType(value).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("aggregateType must not be");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void aggregateIdMustNotBeNullOrBlank(String value) {
      assertThatThrownBy(() -> valid().aggregateId(value).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("aggregateId must not be");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void eventTypeMustNotBeNullOrBlank(String value) {
      assertThatThrownBy(() -> valid().eventType(value).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("eventType must not be");
    }

    @Test
    void payloadIsRequired() {
      assertThatThrownBy(() -> valid().payload(null).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("payload must not be null");
      assertThatThrownBy(() -> valid().jsonPayload(null).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("payload must not be null");
    }

    @Test
    void namesLongerThanTheirColumnAreRefused() {
      assertThatThrownBy(() -> valid().aggregateId("x".repeat(256)).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("aggregateId must be at most 255 characters, but has 256");
      assertThat(valid().aggregateId("x".repeat(255)).build().aggregateId()).hasSize(255);
    }

    @Test
    void textThatPostgresCannotStoreIsRefused() {
      assertThatThrownBy(() -> valid().aggregateId("a\0b").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("aggregateId must not contain the NUL character");
    }

    /** A lone surrogate has no UTF-8 form: stored as '?', it would change the Kafka key. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
      "aggregateType, lone high at the end",
      "aggregateType, lone low",
      "aggregateId, lone high at the end",
      "aggregateId, lone high before a letter",
      "aggregateId, lone low",
      "aggregateId, reversed pair",
      "eventType, lone low",
      "header name, lone high at the end",
      "header value, lone low",
      "payload, lone high before a letter",
    })
    void unpairedSurrogatesAreRefusedInEveryTextField(String field, String shape) {
      String text = "ab" + SURROGATES.get(shape);

      assertThatThrownBy(() -> withField(field, text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(field.equals("header value") ? "header 'h'" : field)
          .hasMessageContaining("must not contain an unpaired UTF-16 surrogate (at index 2)");
    }

    @Test
    void pairedSurrogatesAreKept() {
      String emoji = "order-\uD83D\uDCE6";

      OutboxEvent event =
          valid().aggregateId(emoji).header(emoji, emoji).jsonPayload("\"" + emoji + "\"").build();

      assertThat(event.aggregateId()).isEqualTo(emoji);
      assertThat(event.headers()).containsEntry(emoji, emoji);
      assertThat(new String(event.payload(), StandardCharsets.UTF_8)).contains(emoji);
    }

    @Test
    void nulIsRefusedInHeaderNamesAndValues() {
      assertThatThrownBy(() -> valid().header("a\0b", "x").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("header name must not contain the NUL character");
      assertThatThrownBy(() -> valid().header("h", "a\0b").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("header 'h' must not contain the NUL character");
    }
  }

  private static final Map<String, String> SURROGATES =
      Map.of(
          "lone high at the end", "\uD83D",
          "lone high before a letter", "\uD83Dx",
          "lone low", "\uDCE6x",
          "reversed pair", "\uDCE6\uD83D");

  private static OutboxEvent withField(String field, String text) {
    return switch (field) {
      case "aggregateType" -> valid().aggregateType(text).build();
      case "aggregateId" -> valid().aggregateId(text).build();
      case "eventType" -> valid().eventType(text).build();
      case "header name" -> valid().header(text, "x").build();
      case "header value" -> valid().header("h", text).build();
      case "payload" -> valid().jsonPayload(text).build();
      default -> throw new IllegalArgumentException(field);
    };
  }

  @Nested
  class Topic {

    @ParameterizedTest
    @ValueSource(strings = {"orders", "outbox.event.order", "a-b_c.D9", "x"})
    void legalKafkaTopicNamesAreAccepted(String topic) {
      assertThat(valid().topic(topic).build().topic()).isEqualTo(topic);
    }

    @Test
    void topicMayBeLeftToTheRouter() {
      assertThat(valid().build().topic()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders placed", "orders/eu", "ordères", "orders:v1", "#"})
    void topicsWithCharactersKafkaRejectsAreRefused(String topic) {
      assertThatThrownBy(() -> valid().topic(topic).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("topic '" + topic + "' contains the illegal character")
          .hasMessageContaining("Kafka allows only ASCII letters, digits, '.', '_' and '-'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", ".."})
    void topicsKafkaReservesAreRefused(String topic) {
      assertThatThrownBy(() -> valid().topic(topic).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("topic must not be");
    }

    @Test
    void topicsLongerThanKafkaAllowsAreRefused() {
      assertThat(valid().topic("t".repeat(249)).build().topic()).hasSize(249);
      assertThatThrownBy(() -> valid().topic("t".repeat(250)).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is 250 characters long; Kafka allows at most 249");
    }
  }

  @Nested
  class Headers {

    @Test
    void keepInsertionOrder() {
      OutboxEvent event = valid().header("b", "2").header("a", "1").header("c", "3").build();

      assertThat(event.headers().keySet()).containsExactly("b", "a", "c");
    }

    @Test
    void nullValuesAreRefused() {
      Map<String, String> headers = new HashMap<>();
      headers.put("trace", null);

      assertThatThrownBy(() -> valid().headers(headers).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("header 'trace' must not have a null value");
    }

    @Test
    void blankNamesAreRefused() {
      assertThatThrownBy(() -> valid().header(" ", "x").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("header name must not be blank");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "type", "aggregatetype", "ID", "AggregateType"})
    void envelopeHeaderNamesAreReserved(String name) {
      assertThatThrownBy(() -> valid().header(name, "x").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("header name '" + name + "' is reserved");
    }
  }
}
