package io.github.outboxrelay.relay.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

  @Test
  void theEventsOwnFaultsArePermanent() {
    assertThat(FailureClassifier.isPermanent(new RecordTooLargeException("too big"))).isTrue();
    assertThat(FailureClassifier.isPermanent(new InvalidTopicException("bad"))).isTrue();
    assertThat(FailureClassifier.isPermanent(new TopicAuthorizationException(Set.of("t"))))
        .isTrue();
  }

  @Test
  void clusterTroubleAndUnknownErrorsAreTransientSoTheyNeverPark() {
    assertThat(FailureClassifier.isPermanent(new TimeoutException("expired"))).isFalse();
    assertThat(FailureClassifier.isPermanent(new NotLeaderOrFollowerException("moved"))).isFalse();
    assertThat(FailureClassifier.isPermanent(new UnknownTopicOrPartitionException("x"))).isFalse();
    // Wrong credentials affect every event alike: parking them all would be wrong.
    assertThat(FailureClassifier.isPermanent(new AuthenticationException("bad password")))
        .isFalse();
    assertThat(FailureClassifier.isPermanent(new ClusterAuthorizationException("denied")))
        .isFalse();
    assertThat(FailureClassifier.isPermanent(new KafkaException("something new"))).isFalse();
    assertThat(FailureClassifier.isPermanent(new IllegalStateException("closed"))).isFalse();
  }

  @Test
  void describesAFailureByTypeAndMessage() {
    assertThat(FailureClassifier.describe(new RecordTooLargeException("The message is 2 MB")))
        .isEqualTo("RecordTooLargeException: The message is 2 MB");
  }
}
