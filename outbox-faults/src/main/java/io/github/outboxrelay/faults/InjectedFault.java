package io.github.outboxrelay.faults;

/**
 * A fault as it happened. {@code atMillis} is its decisive moment by wall clock (the SIGKILL, the
 * stall, the insert; for a kill during a broker outage, the broker's kill), {@code
 * relayKilledAtMillis} the SIGKILL of the active relay (0 if none), {@code endMillis} when
 * everything it stopped was started again. A skipped fault says why in {@code detail}.
 */
record InjectedFault(
    PlannedFault plan,
    boolean injected,
    long atMillis,
    long relayKilledAtMillis,
    long endMillis,
    String target,
    String detail) {

  static InjectedFault skipped(PlannedFault plan, String why) {
    long now = System.currentTimeMillis();
    return new InjectedFault(plan, false, now, 0, now, "", why);
  }
}
