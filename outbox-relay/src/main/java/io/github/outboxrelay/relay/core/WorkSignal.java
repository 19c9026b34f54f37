package io.github.outboxrelay.relay.core;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the idle loop waits: for the poll interval, or less when a writer's NOTIFY or a shutdown
 * wakes it. A wake-up that arrives while the loop is busy is remembered, so none is lost. The loop
 * also says whether it wants wake-ups at all: while events flow it claims on its own schedule, and
 * a listener that takes one notification per writer commit would only cost CPU.
 */
public final class WorkSignal {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private boolean pending;
  private boolean wakeUpsWanted = true;

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

  /**
   * Whether the loop will wait for wake-ups (true: it is idle, or stands by) or claims on its own
   * schedule (false: events flow).
   */
  public void wantWakeUps(boolean wanted) {
    lock.lock();
    try {
      if (wakeUpsWanted != wanted) {
        wakeUpsWanted = wanted;
        signalled.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the loop wants wake-ups, or the timeout passes.
   *
   * @return whether it wants them
   */
  public boolean awaitWakeUpsWanted(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (!wakeUpsWanted && nanos > 0) {
        nanos = signalled.awaitNanos(nanos);
      }
      return wakeUpsWanted;
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
