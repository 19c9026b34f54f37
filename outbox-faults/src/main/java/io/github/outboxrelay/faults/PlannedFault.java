package io.github.outboxrelay.faults;

import java.util.Locale;

/**
 * One fault of the schedule: {@code atMillis} after the load starts. {@code holdMillis} is how long
 * the fault lasts (a killed process stays down, a stall holds); {@code leadMillis} is used by the
 * kill during a broker outage only: how long the broker is down before the active relay dies.
 */
record PlannedFault(int number, FaultKind kind, long atMillis, long holdMillis, long leadMillis) {

  String label() {
    return kind.label + " #" + number;
  }

  String describe() {
    String lead = kind == FaultKind.KILL_ACTIVE_RELAY_BROKER_DOWN ? ", lead " + leadMillis : "";
    return String.format(
        Locale.ROOT, "%6.1f s  %-34s hold %d ms%s", atMillis / 1000.0, label(), holdMillis, lead);
  }
}
