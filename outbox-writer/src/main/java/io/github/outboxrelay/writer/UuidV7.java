package io.github.outboxrelay.writer;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made in one JVM
 * are strictly increasing (method 1 of RFC 9562 section 6.2: the 12 {@code rand_a} bits count
 * within a millisecond), so the outbox's unique index on {@code id} grows at its right edge.
 */
final class UuidV7 {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int COUNTER_BITS = 12;
  private static final long COUNTER_MAX = (1L << COUNTER_BITS) - 1;

  private static long lastMillis;
  private static long counter;

  private UuidV7() {}

  static UUID next() {
    long millis;
    long sequence;
    synchronized (UuidV7.class) {
      long now = System.currentTimeMillis();
      if (now > lastMillis) {
        lastMillis = now;
        // Start low in the range so that many ids fit in the same millisecond.
        counter = RANDOM.nextInt(1 << (COUNTER_BITS - 1));
      } else if (counter < COUNTER_MAX) {
        counter++;
      } else {
        // 4096 ids in one millisecond, or the clock went back: borrow the next millisecond.
        lastMillis++;
        counter = 0;
      }
      millis = lastMillis;
      sequence = counter;
    }
    long mostSignificant = (millis << 16) | (0x7L << 12) | sequence;
    long leastSignificant = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(mostSignificant, leastSignificant);
  }
}
