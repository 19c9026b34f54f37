package io.github.outboxrelay.relay.kafka;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import java.util.List;

/**
 * What Kafka said about one claimed batch: the rows to mark published, the rows that failed (with
 * why), and how many acknowledged rows are held back because an earlier event of their key failed
 * and will be sent again.
 */
public record BatchOutcome(long[] acknowledged, List<DeliveryFailure> failures, int heldBack) {

  /** Nothing was acknowledged and every failure may pass: Kafka is away. */
  public boolean kafkaUnavailable() {
    return acknowledged.length == 0
        && heldBack == 0
        && !failures.isEmpty()
        && failures.stream().allMatch(failure -> failure.kind() == DeliveryFailure.Kind.TRANSIENT);
  }

  /**
   * Some row failed for a reason that may pass, so it will be sent again, and the later events of
   * its key with it. Those may also sit in the batches sent after this one, already acknowledged:
   * those batches must go again too, rather than be marked.
   */
  public boolean mustGoAgain() {
    return failures.stream().anyMatch(failure -> !failure.permanent());
  }

  /** The first failure's message, to report why a batch was rolled back. */
  public String firstError() {
    return failures.isEmpty() ? "" : failures.get(0).error();
  }
}
