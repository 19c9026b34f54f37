package io.github.outboxrelay.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresCostTest {

  @Test
  void givesWalBytesPerEventAndCpuSecondsPerMillionEvents() {
    PostgresCost.Result cost =
        new PostgresCost.Result(500_000, 150_000_000, 4.0, 10.0, "0/0", "0/8F0D180");

    assertThat(cost.walBytesPerEvent()).isEqualTo(300.0);
    assertThat(cost.cpuSecondsPerMillionEvents()).isEqualTo(8.0);
    assertThat(cost.hostCpuSecondsPerMillionEvents()).isEqualTo(20.0);
  }

  @Test
  void isUnknownWithoutEventsOrWithoutCpuFigures() {
    assertThat(new PostgresCost.Result(0, 10, 1.0, 1.0, "0/0", "0/A").walBytesPerEvent()).isNaN();
    assertThat(
            new PostgresCost.Result(10, 10, Double.NaN, Double.NaN, "0/0", "0/A")
                .cpuSecondsPerMillionEvents())
        .isNaN();
  }
}
