package io.github.outboxrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkSignalTest {

  private final WorkSignal signal = new WorkSignal();

  @Test
  void aSignalThatArrivedWhileTheLoopWasBusyIsNotLost() throws InterruptedException {
    signal.signal();

    assertThat(signal.await(Duration.ofDays(1))).isTrue();
  }

  @Test
  void withoutASignalTheWaitEndsAtTheTimeout() throws InterruptedException {
    assertThat(signal.await(Duration.ofMillis(1))).isFalse();
  }

  @Test
  void aSignalIsConsumedByOneWait() throws InterruptedException {
    signal.signal();
    signal.await(Duration.ofDays(1));

    assertThat(signal.await(Duration.ofMillis(1))).isFalse();
  }

  @Test
  void clearDropsARememberedSignal() throws InterruptedException {
    signal.signal();
    signal.clear();

    assertThat(signal.await(Duration.ofMillis(1))).isFalse();
  }
}
