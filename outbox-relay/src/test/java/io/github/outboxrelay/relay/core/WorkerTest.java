package io.github.outboxrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How every background loop of the relay runs, stops, and dies. */
class WorkerTest {

  @Test
  void stopEndsTheLoopAndCutsItsPauseShort() throws Exception {
    CountDownLatch paused = new CountDownLatch(1);
    Worker[] worker = new Worker[1];
    worker[0] =
        new Worker(
            "test-worker",
            () -> {
              while (worker[0].running()) {
                paused.countDown();
                worker[0].pause(Duration.ofHours(1));
              }
            },
            error -> {});
    worker[0].start();
    paused.await();

    assertThat(worker[0].stop(Duration.ofSeconds(10), () -> {})).isTrue();
  }

  @Test
  void aLoopThatThrowsIsReportedNotLostSilently() {
    AtomicReference<Throwable> died = new AtomicReference<>();
    Worker worker =
        new Worker(
            "test-worker",
            () -> {
              throw new StackOverflowError("deep");
            },
            died::set);

    worker.start();

    await().until(() -> died.get() != null);
    assertThat(died.get()).isInstanceOf(StackOverflowError.class).hasMessage("deep");
  }
}
