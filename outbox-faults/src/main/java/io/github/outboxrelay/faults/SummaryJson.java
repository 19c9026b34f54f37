package io.github.outboxrelay.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.outboxrelay.faults.check.DeliveryAccounting;
import io.github.outboxrelay.faults.check.FailoverTimes;
import io.github.outboxrelay.faults.check.KeyOrder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The summary as JSON ({@code outbox-faults/target/faults/summary.json}): the table's figures and,
 * for a closer look, every fault, 5xx response and (the first 50) violations.
 */
final class SummaryJson {

  private static final int LISTED = 50;

  private SummaryJson() {}

  static void write(SuiteReport report, Path file) throws IOException {
    SuiteReport.Inputs in = report.in();
    DeliveryAccounting delivery = report.delivery();
    KeyOrder order = report.order();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("result", report.passed() ? "PASS" : "FAIL");
    json.put("failures", report.failures());
    json.put("profile", in.settings().profile().name().toLowerCase(Locale.ROOT));
    json.put("seed", in.settings().seed());
    json.put("seconds", Math.round(in.seconds()));
    json.put("postgresRestart", in.settings().postgresRestart().orElse(null));
    json.put("faultsInjected", report.faultCounts(true));
    json.put("faultsSkipped", report.faultCounts(false));
    json.put("faults", in.faults());
    ResponseLog responses = in.responses();
    Map<String, Object> orders = new LinkedHashMap<>();
    orders.put("requests", responses.requests.get());
    orders.put("placed", responses.placed.get());
    orders.put("rejectedForStock", responses.rejected.get());
    orders.put("cancelled", responses.cancelled.get());
    orders.put("cancelRefused", responses.cancelRefused.get());
    orders.put("failed", responses.failedOrders());
    json.put("orders", orders);
    json.put("responses", responses.statusCounts());
    json.put("serverErrors", responses.serverErrors());
    json.put("serverErrorsByPrecedingFault", report.serverErrorsByCause());
    json.put("connectionFailures", responses.connectionFailures());
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("committed", delivery.committed());
    events.put("byType", report.eventTypes());
    events.put("recordsInKafka", delivery.records());
    events.put("distinctDelivered", delivery.distinctDelivered());
    events.put("parked", delivery.parked());
    json.put("events", events);
    json.put("lost", SuiteReport.firstFew(delivery.lost(), LISTED));
    json.put("lostCount", delivery.lost().size());
    json.put("invented", SuiteReport.firstFew(delivery.invented(), LISTED));
    json.put("inventedCount", delivery.invented().size());
    json.put("firstDeliveryViolationCount", order.firstDelivery().size());
    json.put("firstDeliveryViolations", SuiteReport.firstFew(order.firstDelivery(), LISTED));
    json.put("lastCopyViolationCount", order.lastCopy().size());
    json.put("lastCopyViolations", SuiteReport.firstFew(order.lastCopy(), LISTED));
    json.put("keysOnSeveralPartitions", order.keysOnSeveralPartitions());
    json.put("duplicates", report.duplicates());
    json.put("failoversBrokerUp", report.failoverBrokerUp());
    json.put(
        "failoverBrokerUp", FailoverTimes.stats(FailoverTimes.clean(report.failoverBrokerUp())));
    json.put(
        "failoverBrokerUpAll",
        FailoverTimes.stats(
            report.failoverBrokerUp().stream().map(FailoverTimes.Failover::millis).toList()));
    json.put("failoversBrokerDown", report.failoverBrokerDown());
    json.put("shop", in.shop());
    json.put("projectionOk", in.shop().projectionOk());
    json.put("stockOk", in.shop().stockOk());
    json.put("poison", in.poison());
    json.put("poisonOk", in.poison().ok());
    json.put("relayMetrics", in.metrics());
    json.put("drained", in.drained());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }
}
