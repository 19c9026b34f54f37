package io.github.outboxrelay.writer;

import java.util.Objects;

/**
 * Derives the destination topic of an event that names none, from its aggregate type. The writer
 * checks the result against Kafka's topic rules before anything is written.
 */
@FunctionalInterface
public interface TopicRouter {

  /** Debezium's default route: {@code outbox.event.<aggregatetype>}. */
  TopicRouter DEBEZIUM_DEFAULT = prefix("outbox.event.");

  /** The topic for events of this aggregate type. */
  String topicFor(String aggregateType);

  /**
   * Routes {@code order} to {@code <prefix>order}. An empty prefix uses the aggregate type as is.
   */
  static TopicRouter prefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return aggregateType -> prefix + aggregateType;
  }
}
