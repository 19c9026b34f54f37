package io.github.outboxrelay.writer;

/**
 * Derives the destination topic of an event that names none, from its aggregate type. The writer
 * checks the result against Kafka's topic rules before anything is written.
 */
@FunctionalInterface
public interface TopicRouter {

  /** Debezium's default route: {@code outbox.event.<aggregatetype>}. */
  TopicRouter DEBEZIUM_DEFAULT = prefix("outbox.event.");

  /**
   * The topic for events of this aggregate type. The writer refuses a null or illegal result with
   * an {@link IllegalArgumentException} before anything is written.
   */
  String topicFor(String aggregateType);

  /**
   * Routes {@code order} to {@code <prefix>order}. An empty prefix uses the aggregate type as is.
   *
   * @throws IllegalArgumentException if the prefix is null
   */
  static TopicRouter prefix(String prefix) {
    EventRules.requireNonNull(prefix, "prefix");
    return aggregateType -> prefix + aggregateType;
  }
}
