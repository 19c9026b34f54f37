package io.github.outboxrelay.relay.db;

import io.dropwizard.lifecycle.Managed;
import io.github.outboxrelay.relay.core.Backoff;
import io.github.outboxrelay.relay.core.Worker;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that keeps a database connection of its own, outside the pool (it holds it for
 * hours), for as long as the relay runs, and reconnects with backoff when it is lost: what the
 * notification listener and the exclusive lease have in common.
 */
abstract class BackgroundConnection implements Managed {

  /** Delays between reconnection attempts; reset it once connected. */
  protected final Backoff reconnectBackoff =
      new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

  private final Worker worker;
  private final Logger log;
  private volatile String problem; // why the connection's work fails now, or null

  protected BackgroundConnection(String threadName) {
    this.worker =
        new Worker(
            threadName, this::run, error -> failed("The " + threadName + " thread stopped", error));
    this.log = LoggerFactory.getLogger(getClass());
  }

  /** Why this connection's work fails at the moment, if it does. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * Records a failure of the connection's work. Logged when it first happens and whenever the
   * reason changes, not on every retry, so an outage is not a flood but is never silent either.
   */
  protected void failed(String what, Throwable e) {
    String reason =
        what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (!reason.equals(problem)) {
      log.warn("{}; retrying", reason);
    }
    problem = reason;
  }

  /** The connection's work succeeds again; logged if it had failed. */
  protected void recovered(String what) {
    if (problem != null) {
      log.info("{} again", what);
      problem = null;
    }
  }

  /** The thread's work: connect, use the connection while {@link #running()}, reconnect. */
  protected abstract void run();

  @Override
  public void start() {
    worker.start();
  }

  @Override
  public void stop() throws InterruptedException {
    worker.stop(STOP_TIMEOUT, () -> {}); // its only waits are pauses and short socket reads
  }

  protected boolean running() {
    return worker.running();
  }

  /** Waits {@code duration}, or less when the relay stops meanwhile. */
  protected void pause(Duration duration) {
    worker.pause(duration);
  }
}
