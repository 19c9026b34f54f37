package io.github.outboxrelay.faults.check;

/**
 * What one relay process's admin {@code /metrics} said at one moment. A process incarnation is one
 * relay process (name and pid); its meters start at zero.
 */
public record RelayScrape(
    String relay,
    long pid,
    long epochMillis,
    long published,
    long parked,
    long rolledBackBatches,
    boolean active,
    long parkedGauge) {

  public String incarnation() {
    return relay + "#" + pid;
  }
}
