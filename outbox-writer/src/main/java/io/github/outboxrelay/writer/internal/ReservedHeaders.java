package io.github.outboxrelay.writer.internal;

import io.github.outboxrelay.writer.OutboxHeaders;
import java.util.Locale;
import java.util.Set;

/**
 * The envelope headers of {@link OutboxHeaders} that events may not use for their own headers: the
 * writer refuses them and the relay checks again before it sends. Not API.
 */
public final class ReservedHeaders {

  private static final Set<String> RESERVED =
      Set.of(OutboxHeaders.ID, OutboxHeaders.TYPE, OutboxHeaders.AGGREGATE_TYPE);

  private ReservedHeaders() {}

  /** Whether an event's own header would clash with an envelope header (case-insensitive). */
  public static boolean isReserved(String name) {
    return RESERVED.contains(name.toLowerCase(Locale.ROOT));
  }

  /** The reserved names, for messages and documentation. */
  public static Set<String> reserved() {
    return RESERVED;
  }
}
