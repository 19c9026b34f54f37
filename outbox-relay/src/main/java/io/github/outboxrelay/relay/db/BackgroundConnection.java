package io.github.outboxrelay.relay.db;

import io.dropwizard.lifecycle.Managed;
import io.github.outboxrelay.relay.core.Backoff;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that keeps a database connection of its own, outside the pool (it holds it for
 * hours), for as long as the relay runs, and reconnects with backoff when it is lost: what the
 * notification listener and the exclusive lease have in common.
 */
abstract class BackgroundConnection implements Managed {

  /** Delays between reconnection attempts; reset it once connected. */
  protected final Backoff reconnectBackoff =
      new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

  private final String threadName;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean running;
  private Thread thread;

  protected BackgroundConnection(String threadName) {
    this.threadName = threadName;
  }

  /** The thread's work: connect, use the connection while {@link #running()}, reconnect. */
  protected abstract void run();

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    stopRequested.countDown();
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    }
  }

  protected boolean running() {
    return running;
  }

  /** Waits {@code duration}, or less when the relay stops meanwhile. */
  protected void pause(Duration duration) {
    try {
      stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
