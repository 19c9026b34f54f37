package io.github.outboxrelay.faults.check;

/**
 * A fault as the accounting sees it: {@code label} names it (such as "kill-broker #2"), {@code
 * epochMillis} is when it struck and {@code endEpochMillis} when it was over (what it stopped was
 * running again, or a poison event was parked), by wall clock.
 */
public record FaultMoment(String kind, String label, long epochMillis, long endEpochMillis) {}
