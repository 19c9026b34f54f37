package io.github.outboxrelay.faults.check;

/** When a fault was injected ({@code label} names it, such as "kill-broker #2"), by wall clock. */
public record FaultMoment(String kind, String label, long epochMillis) {}
