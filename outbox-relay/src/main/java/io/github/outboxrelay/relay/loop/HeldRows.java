package io.github.outboxrelay.relay.loop;

import io.github.outboxrelay.relay.core.HeldRow;
import io.github.outboxrelay.relay.core.OrderingKey;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.relay.kafka.BatchOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a completed batch that wait behind a parked event: those the publisher held (their
 * key was held when the batch was claimed), and those written after an event of their key that was
 * parked by this very batch and not marked published (the publisher held them back once their event
 * failed).
 */
final class HeldRows {

  private HeldRows() {}

  static List<HeldRow> of(List<OutboxRow> rows, BatchOutcome outcome, List<ParkedEvent> parkedNow) {
    if (parkedNow.isEmpty()) {
      return outcome.held();
    }
    Map<OrderingKey, Long> parkedSeqByKey = new HashMap<>();
    Set<Long> finished = new HashSet<>();
    for (ParkedEvent event : parkedNow) {
      parkedSeqByKey.merge(
          new OrderingKey(event.topic(), event.aggregateId()), event.seq(), Math::min);
      finished.add(event.seq());
    }
    for (long seq : outcome.acknowledged()) {
      finished.add(seq);
    }
    List<HeldRow> held = new ArrayList<>(outcome.held());
    held.forEach(row -> finished.add(row.seq()));
    for (OutboxRow row : rows) {
      Long parkedSeq = parkedSeqByKey.get(OrderingKey.of(row));
      if (parkedSeq != null && row.seq() > parkedSeq && !finished.contains(row.seq())) {
        held.add(new HeldRow(row.seq(), parkedSeq, row.topic()));
      }
    }
    return held;
  }
}
