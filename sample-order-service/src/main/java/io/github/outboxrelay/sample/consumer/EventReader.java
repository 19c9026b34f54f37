package io.github.outboxrelay.sample.consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.sample.api.StorableText;
import io.github.outboxrelay.sample.api.events.OrderCancelled;
import io.github.outboxrelay.sample.api.events.OrderPlaced;
import io.github.outboxrelay.writer.OutboxHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one record says, as far as it can be trusted. Whatever a record carries, reading it never
 * throws: a record that made the projection's transaction fail would be read again forever and
 * block its partition.
 */
final class EventReader {

  private static final Logger LOG = LoggerFactory.getLogger(EventReader.class);
  private static final Pattern CANONICAL_UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /**
   * One record: its event id (absent if missing or malformed), its type as it may be stored, and
   * the event, or {@code null} if the type is unknown or the payload unreadable.
   */
  record Read(Optional<UUID> eventId, String type, Object event) {}

  private final ObjectMapper json;

  EventReader(ObjectMapper json) {
    this.json = json;
  }

  Read read(ConsumerRecord<byte[], byte[]> record) {
    String type = envelopeHeader(record.headers(), OutboxHeaders.TYPE);
    Object event = parse(type, record.value());
    return new Read(eventId(record.headers()), event == null ? storableType(type) : type, event);
  }

  /**
   * The relay's envelope header of that name: the first one. The relay writes {@code id}, {@code
   * type} and {@code aggregatetype} before any header of the event's own, and Kafka keeps their
   * order, so a later header of the same name is one a row forged. Reading the last (Kafka's {@code
   * lastHeader}) let a row choose the id that de-duplication records, and so suppress another
   * event. Refusing such records would be as safe but would drop a genuine event; the first header
   * is the relay's. A first header without a value is absent, not a reason to read on.
   */
  static String envelopeHeader(Headers headers, String name) {
    Iterator<Header> matching = headers.headers(name).iterator();
    if (!matching.hasNext()) {
      return null;
    }
    byte[] value = matching.next().value();
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** The relay writes ids as {@code UUID.toString} does; anything else would alias another id. */
  static Optional<UUID> eventId(Headers headers) {
    String id = envelopeHeader(headers, OutboxHeaders.ID);
    return id != null && CANONICAL_UUID.matcher(id).matches()
        ? Optional.of(UUID.fromString(id))
        : Optional.empty();
  }

  private static String storableType(String type) {
    return type != null && type.length() <= 255 && StorableText.Validator.isStorable(type)
        ? type
        : "unreadable";
  }

  private Object parse(String type, byte[] payload) {
    if (payload == null) {
      return null;
    }
    try {
      if (OrderPlaced.TYPE.equals(type)) {
        OrderPlaced placed = json.readValue(payload, OrderPlaced.class);
        return placed.orderId() != null
                && storable(placed.customerId())
                && storable(placed.productId())
                && placed.placedAt() != null
            ? placed
            : null;
      }
      if (OrderCancelled.TYPE.equals(type)) {
        OrderCancelled cancelled = json.readValue(payload, OrderCancelled.class);
        return cancelled.orderId() != null
                && storable(cancelled.productId())
                && cancelled.cancelledAt() != null
            ? cancelled
            : null;
      }
    } catch (IOException e) {
      LOG.debug("Unreadable {} payload", type, e);
    }
    return null;
  }

  /** Present and something PostgreSQL can store: else the projection's insert would fail. */
  private static boolean storable(String text) {
    return text != null && StorableText.Validator.isStorable(text);
  }
}
