package io.github.outboxrelay.relay.core;

import java.util.Map;

/**
 * The keys that parked events hold, as one claim saw them: for each, the parked event's seq. A row
 * of a held key written after its parked event waits behind it, not sent, until an operator
 * requeues or skips the parked event; rows of other keys flow on. Read with every claim, so that a
 * requeue or skip committed before it is seen by it.
 */
public final class HeldKeys {

  public static final HeldKeys NONE = new HeldKeys(Map.of());

  private final Map<OrderingKey, Long> parkedSeqByKey;

  public HeldKeys(Map<OrderingKey, Long> parkedSeqByKey) {
    this.parkedSeqByKey = Map.copyOf(parkedSeqByKey);
  }

  public boolean isEmpty() {
    return parkedSeqByKey.isEmpty();
  }

  public int size() {
    return parkedSeqByKey.size();
  }

  /**
   * The seq of the parked event {@code row} must wait behind, or 0 if it is free to go: its key is
   * not held, or the row was written before the parked event (a straggler or a requeued row).
   */
  public long parkedBefore(OutboxRow row) {
    if (parkedSeqByKey.isEmpty()) {
      return 0; // the usual case: nothing parked, nothing to look up
    }
    Long parked = parkedSeqByKey.get(OrderingKey.of(row));
    return parked != null && parked < row.seq() ? parked : 0;
  }
}
