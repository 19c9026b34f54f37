package io.github.outboxrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void ceilingDoublesUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    long[] ceilings = new long[6];
    for (int i = 0; i < ceilings.length; i++) {
      ceilings[i] = backoff.ceilingMillis();
      backoff.next();
    }

    assertThat(ceilings).containsExactly(100, 200, 400, 800, 1000, 1000);
  }

  @Test
  void delaysAreJitteredBetweenHalfTheCeilingAndTheCeiling() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
    for (int i = 0; i < 40; i++) {
      long ceiling = backoff.ceilingMillis();
      assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
    }
  }

  @Test
  void resetStartsOverAfterASuccess() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
    backoff.next();
    backoff.next();

    backoff.reset();

    assertThat(backoff.failures()).isZero();
    assertThat(backoff.ceilingMillis()).isEqualTo(100);
  }

  @Test
  void refusesAnInitialDelayAboveTheCap() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 < initial <= max");
  }
}
