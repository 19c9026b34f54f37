package io.github.outboxrelay.relay.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** A {@link TopicCheck} that describes the topics with the admin client. */
public final class AdminTopicCheck implements TopicCheck {

  private final Admin admin;
  private final Duration timeout;

  public AdminTopicCheck(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  @Override
  public Set<String> confirmMissing(Set<String> topics) {
    Map<String, KafkaFuture<TopicDescription>> described =
        admin
            .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
            .topicNameValues();
    Set<String> missing = new HashSet<>();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
      try {
        topic.getValue().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          missing.add(topic.getKey());
        }
      } catch (TimeoutException e) {
        return Set.of(); // the cluster does not answer: nothing is confirmed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Set.of();
      }
    }
    return missing;
  }
}
