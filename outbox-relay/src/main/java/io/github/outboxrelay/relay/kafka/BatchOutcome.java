package io.github.outboxrelay.relay.kafka;

import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.HeldRow;
import java.util.List;

/**
 * What Kafka said about one claimed batch: the rows to mark published, the rows that failed (with
 * why), and the rows that go again because an earlier event of their key failed and will be sent
 * again: {@code acknowledgedNotMarked} reached Kafka already (consumers will see them twice),
 * {@code heldBack} were not sent. {@code held} were not sent either: a parked event holds their
 * key, and they wait behind it.
 */
public record BatchOutcome(
    long[] acknowledged,
    List<DeliveryFailure> failures,
    int acknowledgedNotMarked,
    int heldBack,
    List<HeldRow> held) {

  public BatchOutcome {
    held = List.copyOf(held);
  }

  /** Nothing was acknowledged and every failure may pass: Kafka is away. */
  public boolean kafkaUnavailable() {
    return acknowledged.length == 0
        && acknowledgedNotMarked == 0
        && heldBack == 0
        && held.isEmpty()
        && !failures.isEmpty()
        && failures.stream().allMatch(failure -> failure.kind() == DeliveryFailure.Kind.TRANSIENT);
  }

  /**
   * Some row failed, so unless it is parked now it will be sent again, and the later events of its
   * key after it: the pipeline stops and starts over once nothing is in flight.
   */
  public boolean anyFailed() {
    return !failures.isEmpty();
  }

  /** The first failure's message, to report why a batch was rolled back. */
  public String firstError() {
    return failures.isEmpty() ? "" : failures.get(0).error();
  }
}
