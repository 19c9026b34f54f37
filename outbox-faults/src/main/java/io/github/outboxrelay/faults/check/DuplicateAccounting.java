package io.github.outboxrelay.faults.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Records that repeat an event already in the topic, each blamed on the fault injected most
 * recently before the copy was produced (its record timestamp, set by the relay's producer on the
 * same clock), or on "none" when no fault preceded it. The first copy in log order is the delivery;
 * every later one is a duplicate.
 */
public record DuplicateAccounting(long total, Map<String, Long> byKind, Map<String, Long> byFault) {

  public static final String NO_FAULT = "none";

  public static DuplicateAccounting of(List<DeliveredRecord> records, List<FaultMoment> faults) {
    List<DeliveredRecord> inLogOrder = new ArrayList<>(records);
    inLogOrder.sort(DeliveredRecord.LOG_ORDER);
    List<FaultMoment> byTime = new ArrayList<>(faults);
    byTime.sort(Comparator.comparingLong(FaultMoment::epochMillis));
    Set<String> seen = new HashSet<>();
    Map<String, Long> byKind = new TreeMap<>();
    Map<String, Long> byFault = new TreeMap<>();
    long total = 0;
    for (DeliveredRecord record : inLogOrder) {
      if (record.id() == null || seen.add(record.id())) {
        continue;
      }
      total++;
      FaultMoment cause = latestAtOrBefore(byTime, record.timestampMillis());
      byKind.merge(cause == null ? NO_FAULT : cause.kind(), 1L, Long::sum);
      byFault.merge(cause == null ? NO_FAULT : cause.label(), 1L, Long::sum);
    }
    return new DuplicateAccounting(total, Map.copyOf(byKind), Map.copyOf(byFault));
  }

  /** The fault injected most recently at or before {@code millis}, or null. */
  public static FaultMoment latestAtOrBefore(List<FaultMoment> byTime, long millis) {
    FaultMoment result = null;
    for (FaultMoment fault : byTime) {
      if (fault.epochMillis() > millis) {
        break;
      }
      result = fault;
    }
    return result;
  }
}
