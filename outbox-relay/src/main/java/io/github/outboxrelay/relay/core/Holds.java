package io.github.outboxrelay.relay.core;

import java.util.Map;
import java.util.Set;

/**
 * What holds rows back, as one claim saw it: the keys that parked events hold (for each, the parked
 * event's seq) and the paused topics. A row of a held key written after its parked event waits
 * behind it; a row of a paused topic waits for the topic to resume; neither is sent. Rows of other
 * keys and topics flow on. Read with every claim, so that a requeue, skip or resume committed
 * before the claim is seen by it.
 */
public final class Holds {

  /** {@link #holder}: nothing holds the row. */
  public static final long FREE = -1;

  /** {@link #holder}, and a held row's {@code held_by}: its topic is paused. */
  public static final long PAUSED_TOPIC = 0;

  public static final Holds NONE = new Holds(Map.of(), Set.of());

  /** The topic name that stands for everything in the pause table. */
  public static final String EVERYTHING = "*";

  private final Map<OrderingKey, Long> parkedSeqByKey;
  private final Set<String> pausedTopics;

  public Holds(Map<OrderingKey, Long> parkedSeqByKey, Set<String> pausedTopics) {
    this.parkedSeqByKey = Map.copyOf(parkedSeqByKey);
    this.pausedTopics = Set.copyOf(pausedTopics);
  }

  public boolean isEmpty() {
    return parkedSeqByKey.isEmpty() && pausedTopics.isEmpty();
  }

  /** Whether everything is paused: the relay claims nothing. */
  public boolean everythingPaused() {
    return pausedTopics.contains(EVERYTHING);
  }

  /**
   * What {@code row} waits for: the seq of the parked event of its key when it was written after
   * it, else {@link #PAUSED_TOPIC} when its topic is paused, else {@link #FREE}. A row written
   * before its key's parked event (a straggler, a requeued row) is not held by it.
   */
  public long holder(OutboxRow row) {
    if (isEmpty()) {
      return FREE; // the usual case: nothing parked or paused, nothing to look up
    }
    Long parked = parkedSeqByKey.get(OrderingKey.of(row));
    if (parked != null && parked < row.seq()) {
      return parked;
    }
    return row.topic() != null && pausedTopics.contains(row.topic()) ? PAUSED_TOPIC : FREE;
  }
}
