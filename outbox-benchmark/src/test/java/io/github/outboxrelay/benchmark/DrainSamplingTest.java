package io.github.outboxrelay.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrainSamplingTest {

  @Test
  void samplesOftenBeforeTheDrainHasARate() {
    assertThat(DrainBenchmark.nextSampleMillis(Optional.empty(), 1_000_000)).isEqualTo(50);
  }

  @Test
  void samplesRarelyFarFromTheEndAndOftenNearIt() {
    Optional<Measurement> hundredThousandPerSecond = Optional.of(new Measurement(100_000, 1.0));

    assertThat(DrainBenchmark.nextSampleMillis(hundredThousandPerSecond, 1_000_000)).isEqualTo(500);
    assertThat(DrainBenchmark.nextSampleMillis(hundredThousandPerSecond, 40_000)).isEqualTo(200);
    assertThat(DrainBenchmark.nextSampleMillis(hundredThousandPerSecond, 1_000)).isEqualTo(50);
  }
}
