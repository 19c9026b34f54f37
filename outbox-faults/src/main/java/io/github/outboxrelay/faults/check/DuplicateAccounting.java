package io.github.outboxrelay.faults.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Records that repeat an event already in the topic, each blamed on a fault by the moment the copy
 * was produced (its record timestamp, set by the relay's producer on the same clock as the faults):
 * the most recent fault still under way then (a poison event until it was parked, a broker until it
 * was back), else the one injected most recently before it, else "none". The first copy in log
 * order is the delivery; every later one is a duplicate.
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
      FaultMoment cause = cause(byTime, record.timestampMillis());
      byKind.merge(cause == null ? NO_FAULT : cause.kind(), 1L, Long::sum);
      byFault.merge(cause == null ? NO_FAULT : cause.label(), 1L, Long::sum);
    }
    return new DuplicateAccounting(total, Map.copyOf(byKind), Map.copyOf(byFault));
  }

  /** The fault under way at {@code millis} that began last, else {@link #latestAtOrBefore}. */
  public static FaultMoment cause(List<FaultMoment> byTime, long millis) {
    FaultMoment underWay = null;
    for (FaultMoment fault : byTime) {
      if (fault.epochMillis() <= millis && millis <= fault.endEpochMillis()) {
        underWay = fault;
      }
    }
    return underWay != null ? underWay : latestAtOrBefore(byTime, millis);
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
