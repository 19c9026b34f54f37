package io.github.outboxrelay.benchmark;

/** Events handled in a span of seconds, and the host's busy CPU seconds then (NaN if unknown). */
record Measurement(long events, double seconds, double hostCpuSeconds) {

  Measurement(long events, double seconds) {
    this(events, seconds, Double.NaN);
  }

  double hostCpuSecondsPerMillionEvents() {
    return events == 0 ? Double.NaN : hostCpuSeconds * 1_000_000 / events;
  }

  double eventsPerSecond() {
    return seconds <= 0 ? 0 : events / seconds;
  }
}
