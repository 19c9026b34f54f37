package io.github.outboxrelay.writer;

import java.util.Locale;
import java.util.Set;

/**
 * Names of the Kafka headers the relay sets on every record from the row's envelope. Events may not
 * use them for their own headers, so a consumer can always trust them.
 */
public final class OutboxHeaders {

  /** The event id (a UUID as text): the key for consumer-side de-duplication. */
  public static final String ID = "id";

  /** The event type, e.g. {@code OrderPlaced}. */
  public static final String TYPE = "type";

  /** The aggregate type, e.g. {@code order}. */
  public static final String AGGREGATE_TYPE = "aggregatetype";

  private static final Set<String> RESERVED = Set.of(ID, TYPE, AGGREGATE_TYPE);

  private OutboxHeaders() {}

  /** Whether an event's own header would clash with an envelope header (case-insensitive). */
  public static boolean isReserved(String name) {
    return RESERVED.contains(name.toLowerCase(Locale.ROOT));
  }

  /** The reserved names, for messages and documentation. */
  public static Set<String> reserved() {
    return RESERVED;
  }
}
