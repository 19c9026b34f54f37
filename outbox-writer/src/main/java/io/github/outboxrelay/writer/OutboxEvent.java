package io.github.outboxrelay.writer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish, as the outbox stores it. The meanings follow Debezium's outbox event router
 * so that consumers of either see the same thing:
 *
 * <ul>
 *   <li>{@code id}: unique event id, sent to Kafka as the {@value OutboxHeaders#ID} header so that
 *       consumers can drop re-deliveries. A time-ordered UUIDv7 unless supplied; supply it yourself
 *       to make re-writes idempotent (a second write with the same id is a no-op).
 *   <li>{@code aggregateType}: the kind of thing that changed, e.g. {@code order}; routes the event
 *       to a topic when {@code topic} is not given.
 *   <li>{@code aggregateId}: which one changed; the Kafka record key, so all events of one
 *       aggregate land in one partition in order.
 *   <li>{@code eventType}: what happened, e.g. {@code OrderPlaced}; sent as the {@value
 *       OutboxHeaders#TYPE} header.
 *   <li>{@code topic}: the destination topic, or {@code null} to let the writer's {@link
 *       TopicRouter} derive it from the aggregate type.
 *   <li>{@code payload}: the Kafka record value, as bytes (see {@link Builder#jsonPayload}).
 *   <li>{@code headers}: extra Kafka headers, string to string, in insertion order.
 * </ul>
 *
 * <p>The compact constructor checks every rule that does not depend on the writer's configuration
 * and throws {@link IllegalArgumentException} naming the field and the rule. Limits that do
 * (payload size, header count and size, the routed topic) are checked by {@link OutboxWriter}. The
 * payload array is copied in and out, so an event is immutable.
 *
 * <p>Null is refused the same way, with an {@link IllegalArgumentException} naming the field or
 * argument, except where this documentation allows it: a null {@code topic} means "route by
 * aggregate type", null {@code headers} mean none, and the builder's {@link Builder#id id(null)}
 * and {@link Builder#topic topic(null)} restore their defaults.
 */
public record OutboxEvent(
    UUID id,
    String aggregateType,
    String aggregateId,
    String eventType,
    String topic,
    byte[] payload,
    Map<String, String> headers) {

  /** Longest aggregate type, aggregate id, event type or header name, in characters. */
  public static final int MAX_NAME_LENGTH = 255;

  public OutboxEvent {
    EventRules.requireNonNull(id, "id");
    EventRules.requireName(aggregateType, "aggregateType");
    EventRules.requireName(aggregateId, "aggregateId");
    EventRules.requireName(eventType, "eventType");
    if (topic != null) {
      TopicNames.requireValid(topic, "topic");
    }
    EventRules.requireNonNull(payload, "payload");
    payload = payload.clone();
    headers = copyHeaders(headers);
  }

  /** A builder with a fresh UUIDv7 id. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Payload size in bytes, without copying it. */
  public int payloadSize() {
    return payload.length;
  }

  byte[] payloadUnsafe() {
    return payload;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OutboxEvent that
        && id.equals(that.id)
        && aggregateType.equals(that.aggregateType)
        && aggregateId.equals(that.aggregateId)
        && eventType.equals(that.eventType)
        && Objects.equals(topic, that.topic)
        && Arrays.equals(payload, that.payload)
        && headers.equals(that.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, aggregateType, aggregateId, eventType, topic, headers)
        + 31 * Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    // The payload may hold personal data: log its size, never its content.
    // Locale.ROOT: "%d" writes Arabic-Indic digits on an ar_EG host.
    return String.format(
        Locale.ROOT,
        "OutboxEvent[id=%s, aggregateType=%s, aggregateId=%s, eventType=%s, topic=%s, payload=%d bytes, headers=%s]",
        id,
        aggregateType,
        aggregateId,
        eventType,
        topic,
        payload.length,
        headers.keySet());
  }

  private static Map<String, String> copyHeaders(Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach(
        (name, value) -> {
          EventRules.requireHeaderName(name);
          if (value == null) {
            throw new IllegalArgumentException("header '" + name + "' must not have a null value");
          }
          EventRules.requireEncodable(value, "header '" + name + "'");
          copy.put(name, value);
        });
    return Collections.unmodifiableMap(copy);
  }

  /** Builds an {@link OutboxEvent}; {@link #build()} applies the event's rules. */
  public static final class Builder {
    private UUID id;
    private String aggregateType;
    private String aggregateId;
    private String eventType;
    private String topic;
    private byte[] payload;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The event id. Default (also after {@code id(null)}): a new UUIDv7, made by {@link #build()}.
     */
    public Builder id(UUID id) {
      this.id = id;
      return this;
    }

    /** Required. The kind of aggregate, e.g. {@code order}. */
    public Builder aggregateType(String aggregateType) {
      this.aggregateType = aggregateType;
      return this;
    }

    /** Required. The aggregate's id; becomes the Kafka record key. */
    public Builder aggregateId(String aggregateId) {
      this.aggregateId = aggregateId;
      return this;
    }

    /** Required. What happened, e.g. {@code OrderPlaced}. */
    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    /**
     * The destination topic. Default (also after {@code topic(null)}): derived from the aggregate
     * type by the writer's router.
     */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Required (or {@link #jsonPayload}). The record value; the array is copied. */
    public Builder payload(byte[] payload) {
      this.payload = payload;
      return this;
    }

    /**
     * The record value as the UTF-8 bytes of a JSON document. The text is stored as given: the
     * writer does not parse it, so serialize it with your JSON library first.
     */
    public Builder jsonPayload(String json) {
      if (json != null) {
        // getBytes would turn an unpaired surrogate into '?' without a word.
        EventRules.requireWellFormedUtf16(json, "payload");
      }
      this.payload = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** Adds an extra Kafka header. Default: none. A null name or value fails {@link #build()}. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /**
     * Adds extra Kafka headers. Default: none.
     *
     * @throws IllegalArgumentException if the map is null
     */
    public Builder headers(Map<String, String> headers) {
      EventRules.requireNonNull(headers, "headers");
      this.headers.putAll(headers);
      return this;
    }

    /**
     * The event.
     *
     * @throws IllegalArgumentException naming the first field that is missing (null) or breaks a
     *     rule
     */
    public OutboxEvent build() {
      return new OutboxEvent(
          id == null ? UuidV7.next() : id,
          aggregateType,
          aggregateId,
          eventType,
          topic,
          payload,
          headers);
    }
  }
}
