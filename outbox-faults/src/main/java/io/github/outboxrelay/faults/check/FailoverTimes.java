package io.github.outboxrelay.faults.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How long the topic went without a new record after the active relay was killed: from the kill to
 * the first record whose timestamp is later. A killed process produces nothing, so that record
 * comes from the relay that took over (or from the killed one, restarted, if it won the lease).
 */
public final class FailoverTimes {

  private FailoverTimes() {}

  /**
   * One kill's failover time. It is confounded when another fault was under way between the kill
   * and the first record (a broker outage, a stall): it then measures that fault too.
   */
  public record Failover(long killEpochMillis, long millis, boolean confounded) {}

  /** The records' timestamps, sorted, for {@link #measure}. */
  public static long[] timestamps(List<DeliveredRecord> records) {
    long[] timestamps = records.stream().mapToLong(DeliveredRecord::timestampMillis).toArray();
    Arrays.sort(timestamps);
    return timestamps;
  }

  /**
   * @param otherFaults the {start, end} wall-clock windows of every other fault injected
   * @return empty when no record followed the kill at all
   */
  public static Optional<Failover> measure(
      long killEpochMillis, List<long[]> otherFaults, long[] sortedTimestamps) {
    int at = Arrays.binarySearch(sortedTimestamps, killEpochMillis + 1);
    int index = at >= 0 ? firstEqual(sortedTimestamps, at) : -at - 1;
    if (index >= sortedTimestamps.length) {
      return Optional.empty();
    }
    long first = sortedTimestamps[index];
    boolean confounded =
        otherFaults.stream().anyMatch(window -> window[0] <= first && window[1] > killEpochMillis);
    return Optional.of(new Failover(killEpochMillis, first - killEpochMillis, confounded));
  }

  /** Milliseconds per kill that no other fault confounded, in kill order. */
  public static List<Long> clean(List<Failover> failovers) {
    List<Long> result = new ArrayList<>();
    for (Failover failover : failovers) {
      if (!failover.confounded()) {
        result.add(failover.millis());
      }
    }
    return result;
  }

  private static int firstEqual(long[] sorted, int index) {
    while (index > 0 && sorted[index - 1] == sorted[index]) {
      index--;
    }
    return index;
  }

  /** Min, median and max, or null when there is nothing to summarise. */
  public static Stats stats(List<Long> millis) {
    if (millis.isEmpty()) {
      return null;
    }
    long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    long median =
        sorted.length % 2 == 1
            ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return new Stats(sorted.length, sorted[0], median, sorted[sorted.length - 1]);
  }

  public record Stats(int count, long minMillis, long medianMillis, long maxMillis) {}
}
