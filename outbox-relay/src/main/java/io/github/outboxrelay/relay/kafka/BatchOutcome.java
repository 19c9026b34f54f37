package io.github.outboxrelay.relay.kafka;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import java.util.List;

/**
 * What Kafka said about one claimed batch: the rows it acknowledged and the rows it did not, with
 * why.
 */
public record BatchOutcome(long[] acknowledged, List<DeliveryFailure> failures) {

  /** Nothing was acknowledged and nothing failed for a reason of its own: Kafka is away. */
  public boolean kafkaUnavailable() {
    return acknowledged.length == 0
        && !failures.isEmpty()
        && failures.stream().noneMatch(DeliveryFailure::permanent);
  }

  /** The first failure's message, to report why a batch was rolled back. */
  public String firstError() {
    return failures.isEmpty() ? "" : failures.get(0).error();
  }
}
