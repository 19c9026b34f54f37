package io.github.outboxrelay.writer;

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

  private OutboxHeaders() {}
}
