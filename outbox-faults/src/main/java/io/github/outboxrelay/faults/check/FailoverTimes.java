package io.github.outboxrelay.faults.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How long the topic went without a new record after the active relay was killed: from the kill to
 * the first record whose timestamp is later. A killed process produces nothing, so that record
 * comes from the relay that took over (or from the killed one, restarted, if it won the lease).
 */
public final class FailoverTimes {

  private FailoverTimes() {}

  /** Milliseconds per kill, in kill order; a kill followed by no record at all is left out. */
  public static List<Long> of(List<Long> killEpochMillis, List<DeliveredRecord> records) {
    long[] timestamps = records.stream().mapToLong(DeliveredRecord::timestampMillis).toArray();
    Arrays.sort(timestamps);
    List<Long> result = new ArrayList<>();
    for (long kill : killEpochMillis) {
      int at = Arrays.binarySearch(timestamps, kill + 1);
      int index = at >= 0 ? firstEqual(timestamps, at) : -at - 1;
      if (index < timestamps.length) {
        result.add(timestamps[index] - kill);
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
