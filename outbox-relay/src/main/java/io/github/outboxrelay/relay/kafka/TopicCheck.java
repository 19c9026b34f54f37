package io.github.outboxrelay.relay.kafka;

import java.util.Set;

/**
 * Asks the cluster which topics do not exist. A producer that finds no metadata for a topic cannot
 * tell a missing topic from an unreachable cluster; the cluster's own answer can.
 */
@FunctionalInterface
public interface TopicCheck {

  /** Never confirms anything: every topic without metadata counts as the cluster's trouble. */
  TopicCheck NONE = topics -> Set.of();

  /**
   * @return the topics among {@code topics} that the cluster says do not exist; empty when it does
   *     not answer
   */
  Set<String> confirmMissing(Set<String> topics);
}
