package io.github.outboxrelay.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU the whole host is busy with, from the first line of {@code /proc/stat}: on this
 * benchmark's one host, PostgreSQL, Kafka, the contender and the benchmark together. What a drain
 * costs in all is the busy time over its span; comparing it with the baselines' shows whether the
 * machine, rather than any one part, is what limits the drain.
 */
final class HostCpu {

  private HostCpu() {}

  /** Busy clock ticks since boot (all but idle and iowait); -1 when /proc/stat cannot be read. */
  static long ticks() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal
      for (int i = 1; i <= 8 && i < fields.length; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(fields[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException unreadable) {
      return -1;
    }
  }

  /** Seconds between two {@link #ticks()} readings; NaN when either is unknown. */
  static double secondsBetween(long before, long after, double ticksPerSecond) {
    return before < 0 || after < 0 ? Double.NaN : (after - before) / ticksPerSecond;
  }
}
