package io.github.outboxrelay.relay.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs one loop for as long as the relay runs: the claim loop, the completion
 * of batches, the lease and the notification listener. Each stops the same way: {@link #stop} asks
 * the loop to end ({@link #running()} turns false and every {@link #pause} returns at once), wakes
 * it where it may be waiting on something of its own, and waits for it a bounded time. A loop that
 * ends by throwing is logged and reported, never lost silently.
 */
public final class Worker {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final String name;
  private final Runnable loop;
  private final Consumer<Throwable> onDeath;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean running;
  private Thread thread;

  /**
   * @param onDeath told when the loop ends by throwing (an {@code Error}, or a bug), so that the
   *     relay reports it instead of going on without the thread
   */
  public Worker(String name, Runnable loop, Consumer<Throwable> onDeath) {
    this.name = name;
    this.loop = loop;
    this.onDeath = onDeath;
  }

  public void start() {
    running = true;
    thread = new Thread(this::runLoop, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void runLoop() {
    try {
      loop.run();
    } catch (Throwable unexpected) { // the thread ends here either way: say so
      LOG.error("The {} thread stopped on an unexpected error", name, unexpected);
      onDeath.accept(unexpected);
    }
  }

  /** Whether the loop should go on. */
  public boolean running() {
    return running;
  }

  /** Waits {@code duration}, or less when the worker is stopped meanwhile. */
  public void pause(Duration duration) {
    try {
      stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Asks the loop to end, runs {@code wake} to end a wait the worker cannot see (a queue, a
   * signal), and waits up to {@code timeout} for the thread.
   *
   * @return whether the thread ended in time
   */
  public boolean stop(Duration timeout, Runnable wake) throws InterruptedException {
    running = false;
    stopRequested.countDown();
    if (thread == null) {
      return true;
    }
    wake.run();
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  /** Interrupting is how a thread blocked in a queue or a lock is woken. */
  public void interrupt() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
