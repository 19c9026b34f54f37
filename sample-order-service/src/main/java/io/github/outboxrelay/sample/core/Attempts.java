package io.github.outboxrelay.sample.core;

/**
 * The attempts of one request, and whether one of them sent a COMMIT whose outcome nobody has
 * learnt since: its connection broke on the way, and no later attempt got far enough to look.
 * Touched by one thread at a time (attempts run one after another).
 */
final class Attempts {
  private int started;
  private boolean inDoubt;

  /** Starts an attempt; true if it is a retry. */
  boolean next() {
    return ++started > 1;
  }

  /** This attempt saw the state any earlier attempt left: nothing of theirs committed. */
  void resolved() {
    inDoubt = false;
  }

  /** This attempt sends its COMMIT: until it answers, the outcome is open. */
  void committing() {
    inDoubt = true;
  }

  boolean inDoubt() {
    return inDoubt;
  }
}
