package io.github.outboxrelay.relay.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter ({@code random(0, min(cap, initial * 2^n))}), so relays that
 * lost Kafka or PostgreSQL together do not retry in lockstep. Not thread-safe: one loop owns it.
 */
public final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private int failures;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, but initial=" + initial + ", max=" + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The ceiling of the next delay: doubles with each failure, up to the cap. */
  long ceilingMillis() {
    int exponent = Math.min(failures, 30);
    return Math.min(maxMillis, initialMillis << exponent);
  }

  /** The delay before the next attempt; counts one more failure. */
  public Duration next() {
    long ceiling = ceilingMillis();
    failures++;
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }

  /** After a success the next failure starts from the initial delay again. */
  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
