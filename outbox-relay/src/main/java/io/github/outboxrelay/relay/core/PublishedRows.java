package io.github.outboxrelay.relay.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the relay does with a row once Kafka has acknowledged it ({@code outbox.published}). Parked
 * rows are never deleted, whatever this says: they wait for an operator.
 */
public enum PublishedRows {

  /**
   * Write nothing to the row: the position the relay stores after each batch says what is
   * published, and the table keeps the history (retention trims it by {@code created_at}). The
   * least work for PostgreSQL per event; {@code published_at} stays empty. Needs the exclusive
   * lease, since only one relay's position can say what is published.
   */
  KEEP,

  /** Set {@code published_at} and keep the row: the table is the history (retention trims it). */
  MARK,

  /**
   * Delete the row: the table holds only what is still to publish, and the history lives in Kafka.
   * Cheaper for PostgreSQL per event than {@link #MARK} (no new row version, no index entries).
   */
  DELETE;

  /**
   * Parses the configured name, refusing any other with the choices named.
   *
   * @throws IllegalArgumentException if {@code name} is none of them
   */
  @JsonCreator
  public static PublishedRows fromConfigName(String name) {
    return Arrays.stream(values())
        .filter(value -> value.configName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "must be one of "
                        + Arrays.stream(values()).map(PublishedRows::configName).toList()
                        + ", not '"
                        + name
                        + "'"));
  }

  /** As configuration writes it: {@code keep}, {@code mark}, {@code delete}. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
