package io.github.outboxrelay.relay.core;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the idle loop waits: for the poll interval, or less when a writer's NOTIFY or a shutdown
 * wakes it. A wake-up that arrives while the loop is busy is remembered, so none is lost.
 */
public final class WorkSignal {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private boolean pending;

  public void signal() {
    lock.lock();
    try {
      pending = true;
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until signalled or the timeout passes.
   *
   * @return whether a signal arrived
   */
  public boolean await(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (!pending && nanos > 0) {
        nanos = signalled.awaitNanos(nanos);
      }
      boolean woken = pending;
      pending = false;
      return woken;
    } finally {
      lock.unlock();
    }
  }

  /** Drops a remembered wake-up; the loop calls this just before it claims. */
  public void clear() {
    lock.lock();
    try {
      pending = false;
    } finally {
      lock.unlock();
    }
  }
}
