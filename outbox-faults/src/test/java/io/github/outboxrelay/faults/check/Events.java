package io.github.outboxrelay.faults.check;

import java.util.ArrayList;
import java.util.List;

/** Crafted truth and topics for the checks' tests: one partition, offsets in the order given. */
final class Events {

  static final String TOPIC = "outbox.event.order";

  private final List<CommittedEvent> committed = new ArrayList<>();
  private final List<DeliveredRecord> records = new ArrayList<>();

  /** Commits event {@code id} of key {@code key}; seqs follow the calls. */
  Events commit(String id, String key, String type) {
    committed.add(new CommittedEvent(committed.size() + 1, id, TOPIC, key, type, false, null));
    return this;
  }

  Events commitParked(String id, String key) {
    committed.add(
        new CommittedEvent(
            committed.size() + 1, id, TOPIC, key, "Poison", true, "topic does not exist"));
    return this;
  }

  /**
   * Appends a record of event {@code id} (key from the truth, or "stranger") at the next offset.
   */
  Events deliver(String id, long timestampMillis) {
    String key =
        committed.stream()
            .filter(event -> event.id().equals(id))
            .map(CommittedEvent::aggregateId)
            .findFirst()
            .orElse("stranger");
    records.add(new DeliveredRecord(TOPIC, 0, records.size(), timestampMillis, key, id, "t"));
    return this;
  }

  Events deliver(String... ids) {
    for (String id : ids) {
      deliver(id, 1000L + records.size());
    }
    return this;
  }

  List<CommittedEvent> committed() {
    return committed;
  }

  List<DeliveredRecord> records() {
    return records;
  }
}
