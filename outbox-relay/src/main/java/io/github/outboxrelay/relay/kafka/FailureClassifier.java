package io.github.outboxrelay.relay.kafka;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Decides whether a send failure is the event's own fault (permanent: retrying the same record can
 * never succeed) or the cluster's (transient). Only a short list of errors is permanent; anything
 * else, including errors this code has never seen, is transient, because a transient failure is
 * retried and never parks an event, while a wrong "permanent" would dead-letter healthy events
 * during an outage.
 */
public final class FailureClassifier {

  private FailureClassifier() {}

  public static boolean isPermanent(Throwable failure) {
    return failure instanceof RecordTooLargeException
        || failure instanceof RecordBatchTooLargeException
        || failure instanceof InvalidTopicException
        || failure instanceof TopicAuthorizationException
        || failure instanceof InvalidRecordException
        || failure instanceof CorruptRecordException
        || failure instanceof KafkaPublisher.RecordRefusedException;
  }

  /**
   * Whether the failure says the record's topic does not exist. Only meaningful when the cluster
   * acknowledged other records: with the cluster away, every topic lacks metadata.
   */
  public static boolean isMissingTopic(Throwable failure) {
    return failure instanceof KafkaPublisher.TopicUnavailableException
        || failure instanceof UnknownTopicOrPartitionException;
  }

  /** A one-line description for logs and the outbox's {@code last_error} column. */
  public static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
