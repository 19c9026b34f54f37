package io.github.outboxrelay.faults;

import static io.github.outboxrelay.faults.FaultKind.CUT_ORDER_SERVICE_DATABASE;
import static io.github.outboxrelay.faults.FaultKind.KILL_ACTIVE_RELAY;
import static io.github.outboxrelay.faults.FaultKind.KILL_ACTIVE_RELAY_BROKER_DOWN;
import static io.github.outboxrelay.faults.FaultKind.KILL_BROKER;
import static io.github.outboxrelay.faults.FaultKind.KILL_ORDER_SERVICE;
import static io.github.outboxrelay.faults.FaultKind.POISON_EVENT;
import static io.github.outboxrelay.faults.FaultKind.RESTART_POSTGRES;
import static io.github.outboxrelay.faults.FaultKind.STALL_RELAY_DATABASE;
import static io.github.outboxrelay.faults.FaultKind.TERM_ACTIVE_RELAY;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How long the load runs and how many faults of each kind it gets. The short profile (for every
 * submission) fits in three minutes with start-up and checks; the long one kills the active relay
 * at least ten times and the broker at least three (five, counting the kills during which the
 * active relay dies too).
 */
enum Profile {
  SHORT(Duration.ofSeconds(80), Duration.ofSeconds(5), counts(2, 1, 1, 1, 1, 1, 2, 1, 1)),
  LONG(Duration.ofMinutes(10), Duration.ofSeconds(15), counts(9, 2, 3, 3, 2, 2, 4, 2, 2));

  final Duration load;

  /** No fault before this: the relays and the consumer settle first. */
  final Duration warmUp;

  final Map<FaultKind, Integer> faults;

  Profile(Duration load, Duration warmUp, Map<FaultKind, Integer> faults) {
    this.load = load;
    this.warmUp = warmUp;
    this.faults = faults;
  }

  static Profile parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  private static Map<FaultKind, Integer> counts(
      int killActive,
      int killActiveBrokerDown,
      int termActive,
      int killBroker,
      int restartPostgres,
      int poison,
      int stall,
      int killOrderService,
      int cutOrderServiceDatabase) {
    Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
    counts.put(KILL_ACTIVE_RELAY, killActive);
    counts.put(KILL_ACTIVE_RELAY_BROKER_DOWN, killActiveBrokerDown);
    counts.put(TERM_ACTIVE_RELAY, termActive);
    counts.put(KILL_BROKER, killBroker);
    counts.put(RESTART_POSTGRES, restartPostgres);
    counts.put(POISON_EVENT, poison);
    counts.put(STALL_RELAY_DATABASE, stall);
    counts.put(KILL_ORDER_SERVICE, killOrderService);
    counts.put(CUT_ORDER_SERVICE_DATABASE, cutOrderServiceDatabase);
    return counts;
  }
}
