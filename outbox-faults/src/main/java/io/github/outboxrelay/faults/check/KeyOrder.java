package io.github.outboxrelay.faults.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-key order as the README promises it, checked twice over the records of each key in log order:
 * the <em>first</em> delivery of each event must come in write (seq) order, and so must the
 * <em>last</em> copy of each event (the README's rule for re-deliveries). Also lists keys whose
 * records landed on more than one partition, which would void any order.
 */
public record KeyOrder(
    List<OrderViolation> firstDelivery,
    List<OrderViolation> lastCopy,
    List<String> keysOnSeveralPartitions) {

  private record Delivery(DeliveredRecord record, CommittedEvent event) {}

  public static KeyOrder check(List<CommittedEvent> committed, List<DeliveredRecord> records) {
    Map<String, CommittedEvent> byId = new HashMap<>();
    for (CommittedEvent event : committed) {
      byId.put(event.id(), event);
    }
    List<DeliveredRecord> inLogOrder = new ArrayList<>(records);
    inLogOrder.sort(DeliveredRecord.LOG_ORDER);
    Map<String, List<Delivery>> byKey = new LinkedHashMap<>();
    for (DeliveredRecord record : inLogOrder) {
      CommittedEvent event = record.id() == null ? null : byId.get(record.id());
      if (event != null) { // an invented record has no write order; DeliveryAccounting lists it
        byKey
            .computeIfAbsent(record.orderKey(), k -> new ArrayList<>())
            .add(new Delivery(record, event));
      }
    }
    List<OrderViolation> first = new ArrayList<>();
    List<OrderViolation> last = new ArrayList<>();
    Set<String> split = new TreeSet<>();
    for (Map.Entry<String, List<Delivery>> entry : byKey.entrySet()) {
      List<Delivery> deliveries = entry.getValue();
      if (deliveries.stream().map(d -> d.record().partition()).distinct().count() > 1) {
        split.add(entry.getKey());
      }
      first.addAll(violations(entry.getKey(), firstCopies(deliveries)));
      last.addAll(violations(entry.getKey(), lastCopies(deliveries)));
    }
    return new KeyOrder(List.copyOf(first), List.copyOf(last), List.copyOf(split));
  }

  private static List<Delivery> firstCopies(List<Delivery> deliveries) {
    Set<String> seen = new HashSet<>();
    List<Delivery> result = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      if (seen.add(delivery.event().id())) {
        result.add(delivery);
      }
    }
    return result;
  }

  private static List<Delivery> lastCopies(List<Delivery> deliveries) {
    List<Delivery> reversed = new ArrayList<>(deliveries);
    Collections.reverse(reversed);
    List<Delivery> result = firstCopies(reversed);
    Collections.reverse(result);
    return result;
  }

  /** Each delivery with a lower seq than one before it is late, once. */
  private static List<OrderViolation> violations(String key, List<Delivery> ordered) {
    List<OrderViolation> result = new ArrayList<>();
    Delivery highest = null;
    for (Delivery delivery : ordered) {
      if (highest != null && delivery.event().seq() < highest.event().seq()) {
        result.add(
            new OrderViolation(
                key,
                delivery.event().seq(),
                delivery.event().type(),
                delivery.record().offset(),
                highest.event().seq(),
                highest.event().type(),
                highest.record().offset()));
      } else {
        highest = delivery;
      }
    }
    return result;
  }
}
