package io.github.outboxrelay.faults;

import io.github.outboxrelay.faults.check.CommittedEvent;
import io.github.outboxrelay.faults.check.DeliveryAccounting;
import io.github.outboxrelay.faults.check.FailoverTimes;
import io.github.outboxrelay.faults.check.KeyOrder;
import io.github.outboxrelay.faults.check.MetricsAgreement;
import io.github.outboxrelay.faults.check.OrderViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The summary table on the console: one line per measure, each check with its OK or FAIL. */
final class SummaryTable {

  private SummaryTable() {}

  static void print(SuiteReport report) {
    SuiteReport.Inputs in = report.in();
    DeliveryAccounting delivery = report.delivery();
    KeyOrder order = report.order();
    ResponseLog responses = in.responses();
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Fault suite summary (profile %s, seed %d, %.0f s)%n",
        in.settings().profile().name().toLowerCase(Locale.ROOT),
        in.settings().seed(),
        in.seconds());
    row("faults injected", report.faultCounts(true).toString());
    Map<String, Long> skipped = report.faultCounts(false);
    if (!skipped.isEmpty()) {
      row("faults skipped", skipped + " " + report.skipReasons());
    }
    row(
        "orders",
        String.format(
            Locale.ROOT,
            "placed %d, rejected for stock %d, cancelled %d, failed %d",
            responses.placed.get(),
            responses.rejected.get(),
            responses.cancelled.get(),
            responses.failedOrders()));
    row(
        "events",
        String.format(
            Locale.ROOT,
            "committed %d (%s); records in Kafka %d, distinct %d; parked %d",
            delivery.committed(),
            report.eventTypes(),
            delivery.records(),
            delivery.distinctDelivered(),
            delivery.parked().size()));
    row("lost", verdict(delivery.lost().isEmpty()) + delivery.lost().size());
    row("invented", verdict(delivery.invented().isEmpty()) + delivery.invented().size());
    row(
        "order, first delivery",
        verdict(order.firstDelivery().isEmpty() && order.keysOnSeveralPartitions().isEmpty())
            + order.firstDelivery().size()
            + " violations in "
            + keys(order.firstDelivery())
            + " keys; keys on several partitions: "
            + order.keysOnSeveralPartitions().size());
    row(
        "order, last copy",
        verdict(order.lastCopy().isEmpty())
            + order.lastCopy().size()
            + " violations in "
            + keys(order.lastCopy())
            + " keys (README: the last copy arrives in write order)");
    row("duplicates", report.duplicates().total() + " by cause " + report.duplicates().byKind());
    row("consumer skipped", in.shop().consumerDuplicatesSkipped() + " duplicates (its own meter)");
    List<FailoverTimes.Failover> kills = report.failoverBrokerUp();
    row(
        "failover (broker up)",
        failover(FailoverTimes.clean(kills))
            + " with no other fault under way; all "
            + kills.size()
            + ": "
            + failover(kills.stream().map(FailoverTimes.Failover::millis).toList()));
    row(
        "failover (broker down)",
        report.failoverBrokerDown().stream().map(f -> f.millis() + " ms").toList()
            + " from the relay's SIGKILL, including the broker's restart");
    row(
        "5xx responses",
        responses.serverErrors().size()
            + " "
            + report.serverErrorsByCause()
            + "; no response: "
            + responses.connectionFailures().size());
    ShopChecks shop = in.shop();
    row(
        "projection",
        verdict(shop.projectionOk())
            + String.format(
                Locale.ROOT,
                "%d orders, %d shipments, %d mismatches; %d of %d order events applied once, %d"
                    + " not applied, %d rejected",
                shop.orders(),
                shop.shipments(),
                shop.projectionMismatches(),
                shop.processedEvents(),
                shop.orderEvents(),
                shop.eventsNotProcessed(),
                shop.rejectedByConsumer()));
    row(
        "stock",
        verdict(shop.stockOk())
            + "never negative: "
            + (shop.negativeStock() == 0 ? "yes" : "NO")
            + ", stock + sold = initial: "
            + (shop.stockDrift() == 0 ? "yes" : "NO (off by " + shop.stockDrift() + ")"));
    row("poison events", verdict(in.poison().ok()) + poisonSummary(in));
    MetricsAgreement metrics = in.metrics();
    row(
        "relay metrics",
        verdict(metrics.publishedAgrees() && metrics.parkedAgrees() && metrics.gaugeAgrees())
            + String.format(
                Locale.ROOT,
                "published meters %d vs rows published %d (tolerance %d, copies sent again %d)"
                    + " and records %d; parked meters %d vs rows %d (tolerance %d);"
                    + " outbox.parked gauge %d",
                metrics.publishedByMeters(),
                metrics.publishedRows(),
                metrics.publishedTolerance(),
                metrics.recordsSentAgain(),
                metrics.recordsInTopic(),
                metrics.parkedByMeters(),
                metrics.parkedRows(),
                metrics.parkedTolerance(),
                metrics.parkedGauge()));
    row("drained", in.drained() ? "yes" : "NO");
    for (OrderViolation violation : SuiteReport.firstFew(order.firstDelivery(), 10)) {
      row("  first-delivery", violation.describe());
    }
    for (CommittedEvent lost : SuiteReport.firstFew(delivery.lost(), 10)) {
      row("  lost", lost.id() + " " + lost.orderKey() + " " + lost.type() + " seq " + lost.seq());
    }
    row("RESULT", report.passed() ? "PASS" : "FAIL: " + String.join(", ", report.failures()));
    System.out.println("  (JSON: " + SuiteReport.jsonFile(in.settings()) + ")");
  }

  private static String poisonSummary(SuiteReport.Inputs in) {
    if (in.poison().taskError() != null) {
      return "parked-events task failed: " + in.poison().taskError();
    }
    List<String> parts = new ArrayList<>();
    for (PoisonChecks.Poison poison : in.poison().poisons()) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %s, %s by parked-events, %d later events sent before it was parked",
              poison.aggregateId(),
              poison.parked() ? "parked (" + abbreviate(poison.lastError()) + ")" : "NOT parked",
              poison.listedByTask() ? "listed" : "NOT listed",
              poison.laterEventsSentBeforeParking()));
    }
    return parts.isEmpty() ? "none written" : String.join("; ", parts);
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "no last_error";
    }
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private static String failover(List<Long> millis) {
    FailoverTimes.Stats stats = FailoverTimes.stats(millis);
    return stats == null
        ? "none measured"
        : String.format(
            Locale.ROOT,
            "min %d / median %d / max %d ms (%d kills)",
            stats.minMillis(),
            stats.medianMillis(),
            stats.maxMillis(),
            stats.count());
  }

  private static long keys(List<OrderViolation> violations) {
    return violations.stream().map(OrderViolation::orderKey).distinct().count();
  }

  private static String verdict(boolean ok) {
    return ok ? "OK    " : "FAIL  ";
  }

  private static void row(String label, String value) {
    System.out.printf(Locale.ROOT, "  %-24s %s%n", label, value);
  }
}
