package io.github.outboxrelay.faults.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which committed events never reached Kafka (lost) and which records Kafka holds that nobody
 * committed (invented). A parked event is not lost: the relay gave up on it on purpose, and it is
 * listed instead.
 */
public record DeliveryAccounting(
    List<CommittedEvent> lost,
    List<DeliveredRecord> invented,
    List<CommittedEvent> parked,
    int committed,
    int distinctDelivered,
    int records) {

  public static DeliveryAccounting of(
      List<CommittedEvent> committed, List<DeliveredRecord> records) {
    Set<String> committedIds = new HashSet<>();
    for (CommittedEvent event : committed) {
      committedIds.add(event.id());
    }
    Set<String> deliveredIds = new HashSet<>();
    List<DeliveredRecord> invented = new ArrayList<>();
    for (DeliveredRecord record : records) {
      if (record.id() == null || !committedIds.contains(record.id())) {
        invented.add(record);
      } else {
        deliveredIds.add(record.id());
      }
    }
    List<CommittedEvent> lost = new ArrayList<>();
    List<CommittedEvent> parked = new ArrayList<>();
    for (CommittedEvent event : committed) {
      if (event.parked()) {
        parked.add(event);
      } else if (!deliveredIds.contains(event.id())) {
        lost.add(event);
      }
    }
    return new DeliveryAccounting(
        List.copyOf(lost),
        List.copyOf(invented),
        List.copyOf(parked),
        committed.size(),
        deliveredIds.size(),
        records.size());
  }
}
