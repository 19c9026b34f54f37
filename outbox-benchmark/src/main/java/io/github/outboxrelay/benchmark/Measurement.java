package io.github.outboxrelay.benchmark;

/** Events handled in a span of seconds. */
record Measurement(long events, double seconds) {

  double eventsPerSecond() {
    return seconds <= 0 ? 0 : events / seconds;
  }
}
