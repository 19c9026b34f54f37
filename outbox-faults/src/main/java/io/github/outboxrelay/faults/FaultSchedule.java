package io.github.outboxrelay.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every fault of a run, drawn up front from one seed so that a run can be replayed: the order of
 * the faults, their moments and their durations. Faults are spread over the load, one per slot,
 * each in the first half of its slot so that it has time to end before the next; the poison events
 * come in the first half of the run, so that the relays have long enough to park them while other
 * events flow.
 */
record FaultSchedule(long seed, List<PlannedFault> faults) {

  /** Kept free of faults at the end of the load, for the last one to finish. */
  private static final long TAIL_MILLIS = 10_000;

  static FaultSchedule plan(Profile profile, long seed) {
    Random random = new Random(seed);
    List<FaultKind> kinds = new ArrayList<>();
    int poisons = 0;
    for (Map.Entry<FaultKind, Integer> entry : profile.faults.entrySet()) {
      if (entry.getKey() == FaultKind.POISON_EVENT) {
        poisons = entry.getValue();
      } else {
        kinds.addAll(Collections.nCopies(entry.getValue(), entry.getKey()));
      }
    }
    Collections.shuffle(kinds, random);
    for (int i = 0; i < poisons; i++) {
      kinds.add(random.nextInt(kinds.size() / 2 + 1), FaultKind.POISON_EVENT);
    }
    long start = profile.warmUp.toMillis();
    long slot = (profile.load.toMillis() - start - TAIL_MILLIS) / Math.max(1, kinds.size());
    List<PlannedFault> faults = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      FaultKind kind = kinds.get(i);
      long at = start + slot * i + (long) (random.nextDouble() * slot / 2);
      faults.add(
          new PlannedFault(i + 1, kind, at, holdMillis(kind, random), between(random, 1000, 2500)));
    }
    return new FaultSchedule(seed, List.copyOf(faults));
  }

  private static long holdMillis(FaultKind kind, Random random) {
    return switch (kind) {
      case KILL_ACTIVE_RELAY, TERM_ACTIVE_RELAY -> between(random, 500, 3000);
      case KILL_ACTIVE_RELAY_BROKER_DOWN -> between(random, 2000, 4000);
      case KILL_BROKER -> between(random, 2000, 5000);
      case STALL_RELAY_DATABASE -> between(random, 2000, 5000);
      case KILL_ORDER_SERVICE -> between(random, 500, 2000);
      case CUT_ORDER_SERVICE_DATABASE -> between(random, 3000, 6000);
      case RESTART_POSTGRES, POISON_EVENT -> 0;
    };
  }

  private static long between(Random random, long from, long to) {
    return from + (long) (random.nextDouble() * (to - from));
  }

  long count(FaultKind kind) {
    return faults.stream().filter(f -> f.kind() == kind).count();
  }
}
