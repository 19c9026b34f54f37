package io.github.outboxrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  @Test
  void wakeUpsAreWantedUntilTheLoopSaysOtherwise() throws InterruptedException {
    assertThat(signal.awaitWakeUpsWanted(Duration.ofMillis(1))).isTrue();

    signal.wantWakeUps(false);

    assertThat(signal.awaitWakeUpsWanted(Duration.ofMillis(1))).isFalse();
  }

  @Test
  void aListenerWaitingForTheLoopToWantWakeUpsIsWokenWhenItDoes() throws Exception {
    signal.wantWakeUps(false);
    CompletableFuture<Boolean> listener =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return signal.awaitWakeUpsWanted(Duration.ofDays(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    signal.wantWakeUps(true);

    assertThat(listener.get(1, TimeUnit.MINUTES)).isTrue();
  }
}
