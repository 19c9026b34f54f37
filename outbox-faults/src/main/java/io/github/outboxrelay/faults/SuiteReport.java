package io.github.outboxrelay.faults;

import io.github.outboxrelay.faults.check.CommittedEvent;
import io.github.outboxrelay.faults.check.DeliveredRecord;
import io.github.outboxrelay.faults.check.DeliveryAccounting;
import io.github.outboxrelay.faults.check.DuplicateAccounting;
import io.github.outboxrelay.faults.check.FailoverTimes;
import io.github.outboxrelay.faults.check.FaultMoment;
import io.github.outboxrelay.faults.check.KeyOrder;
import io.github.outboxrelay.faults.check.MetricsAgreement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The suite's verdict: runs the pure checks over what was read, for {@link SummaryTable} and {@link
 * SummaryJson} to show. Fails on any loss, invention, first-delivery order violation (or a key
 * split over partitions), a projection or stock mismatch, or events left undrained; the other
 * findings (last-copy order, poison, metrics) are reported, each with its own OK or FAIL.
 */
final class SuiteReport {

  private static final long POISON_PARKING_MILLIS = 10_000;

  record Inputs(
      FaultSettings settings,
      FaultSchedule schedule,
      List<InjectedFault> faults,
      ResponseLog responses,
      List<DeliveredRecord> records,
      List<CommittedEvent> committed,
      ShopChecks shop,
      PoisonChecks poison,
      MetricsAgreement metrics,
      boolean drained,
      double seconds) {}

  private final Inputs in;
  private final DeliveryAccounting delivery;
  private final KeyOrder order;
  private final DuplicateAccounting duplicates;
  private final List<FailoverTimes.Failover> failoverBrokerUp;
  private final List<FailoverTimes.Failover> failoverBrokerDown;
  private final Map<String, Long> serverErrorsByCause;

  private SuiteReport(Inputs in) {
    this.in = in;
    List<FaultMoment> moments = new ArrayList<>();
    List<FaultMoment> publishingMoments = new ArrayList<>(); // faults that can make a relay re-send
    for (InjectedFault fault : in.faults()) {
      if (fault.injected()) {
        FaultMoment moment =
            new FaultMoment(
                fault.plan().kind().label, fault.plan().label(), fault.atMillis(), end(fault));
        moments.add(moment);
        if (fault.plan().kind().touchesPublishing()) {
          publishingMoments.add(moment);
        }
      }
    }
    long[] timestamps = FailoverTimes.timestamps(in.records());
    List<FailoverTimes.Failover> brokerUp = new ArrayList<>();
    List<FailoverTimes.Failover> brokerDown = new ArrayList<>();
    for (InjectedFault kill : in.faults()) {
      if (!kill.injected() || !kill.plan().kind().killsActiveRelay()) {
        continue;
      }
      List<long[]> others = new ArrayList<>();
      for (InjectedFault other : in.faults()) {
        if (other.injected() && other != kill) {
          others.add(new long[] {other.atMillis(), end(other)});
        }
      }
      FailoverTimes.measure(kill.relayKilledAtMillis(), others, timestamps)
          .ifPresent(
              (kill.plan().kind() == FaultKind.KILL_ACTIVE_RELAY ? brokerUp : brokerDown)::add);
    }
    failoverBrokerUp = brokerUp;
    failoverBrokerDown = brokerDown;
    delivery = DeliveryAccounting.of(in.committed(), in.records());
    order = KeyOrder.check(in.committed(), in.records());
    duplicates = DuplicateAccounting.of(in.records(), publishingMoments);
    moments.sort(Comparator.comparingLong(FaultMoment::epochMillis));
    serverErrorsByCause = new TreeMap<>();
    for (ResponseLog.Failure failure : in.responses().serverErrors()) {
      FaultMoment cause = DuplicateAccounting.cause(moments, failure.epochMillis());
      serverErrorsByCause.merge(
          cause == null ? DuplicateAccounting.NO_FAULT : cause.label(), 1L, Long::sum);
    }
  }

  /**
   * A poison event is under way until it is parked: its {@code parked_at} is the start of the
   * transaction that parked it, which sends and waits a metadata timeout (5 s) before it commits,
   * so ten seconds are added. Other faults are under way until they were undone.
   */
  private long end(InjectedFault fault) {
    if (fault.plan().kind() == FaultKind.POISON_EVENT) {
      for (PoisonChecks.Poison poison : in.poison().poisons()) {
        if (poison.aggregateId().equals(fault.target()) && poison.parkedAtMillis() > 0) {
          return poison.parkedAtMillis() + POISON_PARKING_MILLIS;
        }
      }
    }
    return fault.endMillis();
  }

  static SuiteReport build(Inputs in) {
    return new SuiteReport(in);
  }

  static Path jsonFile(FaultSettings settings) {
    return settings.outputDirectory().resolve("summary.json");
  }

  boolean passed() {
    return failures().isEmpty();
  }

  List<String> failures() {
    List<String> failures = new ArrayList<>();
    if (!delivery.lost().isEmpty()) {
      failures.add(delivery.lost().size() + " lost");
    }
    if (!delivery.invented().isEmpty()) {
      failures.add(delivery.invented().size() + " invented");
    }
    if (!order.firstDelivery().isEmpty()) {
      failures.add(order.firstDelivery().size() + " first deliveries out of order");
    }
    if (!order.keysOnSeveralPartitions().isEmpty()) {
      failures.add(order.keysOnSeveralPartitions().size() + " keys on several partitions");
    }
    if (!in.shop().projectionOk()) {
      failures.add("projection differs from the orders");
    }
    if (!in.shop().stockOk()) {
      failures.add("stock does not add up");
    }
    if (!in.drained()) {
      failures.add("not drained");
    }
    return failures;
  }

  Inputs in() {
    return in;
  }

  DeliveryAccounting delivery() {
    return delivery;
  }

  KeyOrder order() {
    return order;
  }

  DuplicateAccounting duplicates() {
    return duplicates;
  }

  List<FailoverTimes.Failover> failoverBrokerUp() {
    return failoverBrokerUp;
  }

  List<FailoverTimes.Failover> failoverBrokerDown() {
    return failoverBrokerDown;
  }

  Map<String, Long> serverErrorsByCause() {
    return serverErrorsByCause;
  }

  Map<String, Long> faultCounts(boolean injected) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (InjectedFault fault : in.faults()) {
      if (fault.injected() == injected) {
        counts.merge(fault.plan().kind().label, 1L, Long::sum);
      }
    }
    return counts;
  }

  String skipReasons() {
    List<String> reasons = new ArrayList<>();
    for (InjectedFault fault : in.faults()) {
      if (!fault.injected()) {
        reasons.add(fault.plan().label() + ": " + fault.detail());
      }
    }
    return reasons.toString();
  }

  Map<String, Long> eventTypes() {
    Map<String, Long> types = new TreeMap<>();
    for (CommittedEvent event : in.committed()) {
      types.merge(event.type(), 1L, Long::sum);
    }
    return types;
  }

  static <T> List<T> firstFew(List<T> list, int count) {
    return list.subList(0, Math.min(count, list.size()));
  }
}
