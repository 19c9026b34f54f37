package io.github.outboxrelay.sample.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What the database and the consumer's metrics say once the demo has run. */
final class DemoReport {

  private DemoReport() {}

  static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Orders without their shipment, shipments without their order, or a differing status. */
  static long projectionMismatches(Connection connection) throws SQLException {
    return count(
        connection,
        "SELECT count(*) FROM orders o FULL JOIN shipments s ON s.order_id = o.id"
            + " WHERE o.id IS NULL OR s.order_id IS NULL"
            + " OR (o.status = 'PLACED') <> (s.status = 'TO_SHIP') OR o.quantity <> s.quantity");
  }

  /** Whether everything written has been published and applied by the consumer. */
  static boolean drained(Connection connection) throws SQLException {
    return count(connection, "SELECT count(*) FROM outbox_pending") == 0
        && count(connection, "SELECT count(*) FROM outbox")
            == count(connection, "SELECT count(*) FROM processed_events");
  }

  static boolean print(
      Connection connection, OrderLoad load, int adminPort, double seconds, KafkaArrivals arrivals)
      throws Exception {
    long orders = count(connection, "SELECT count(*) FROM orders");
    long placedEvents = count(connection, "SELECT count(*) FROM outbox WHERE type = 'OrderPlaced'");
    long cancelEvents =
        count(connection, "SELECT count(*) FROM outbox WHERE type = 'OrderCancelled'");
    long parked = count(connection, "SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL");
    // Whatever the relay writes to a published row (outbox.published), the view knows what waits.
    long published =
        count(connection, "SELECT count(*) FROM outbox")
            - count(connection, "SELECT count(*) FROM outbox_pending")
            - parked;
    long consumed = count(connection, "SELECT count(*) FROM processed_events");
    long mismatches = projectionMismatches(connection);
    long negativeStock = count(connection, "SELECT count(*) FROM products WHERE stock < 0");
    long stockDrift =
        count(
            connection,
            "SELECT abs("
                + OrderLoad.PRODUCTS
                + " * "
                + load.stockPerProduct()
                + " - (SELECT sum(stock) FROM products)"
                + " - (SELECT coalesce(sum(quantity), 0) FROM orders WHERE status = 'PLACED'))");
    Latencies latency = Latencies.of(connection, arrivals);
    long duplicates = duplicatesSkipped(adminPort);

    System.out.println();
    System.out.printf("Demo report (%.1f s)%n", seconds);
    System.out.printf(
        "  orders requested       %7d  (concurrently, over the REST API)%n", load.done());
    System.out.printf(
        "  orders placed          %7d  rejected for lack of stock %d, other failures %d%n",
        load.placed.get(), load.rejected.get(), load.failed.get());
    System.out.printf("  orders cancelled       %7d%n", load.cancelled.get());
    System.out.printf(
        "  events written         %7d  (OrderPlaced %d + OrderCancelled %d)%n",
        placedEvents + cancelEvents, placedEvents, cancelEvents);
    System.out.printf("  events published       %7d  (parked %d)%n", published, parked);
    System.out.printf(
        "  events consumed        %7d  duplicates skipped by the consumer %d%n",
        consumed, duplicates);
    String[] labels = {
      latency.start() + " -> projection",
      "  the same, after the first " + Latencies.WARM_UP_MILLIS / 1000 + " s (warm JVMs)",
      "  " + latency.start() + " -> " + arrivals.stage() + " (the relay)",
      "  " + arrivals.stage() + " -> projection (the consumer)"
    };
    Latencies.Spread[] spreads = {
      latency.total(), latency.warm(), latency.relay(), latency.consumer()
    };
    int width = java.util.Arrays.stream(labels).mapToInt(String::length).max().orElse(0);
    for (int i = 0; i < labels.length; i++) {
      System.out.printf("  %-" + width + "s  %s%n", labels[i], spreads[i]);
    }
    boolean ok =
        mismatches == 0
            && negativeStock == 0
            && stockDrift == 0
            && orders == load.placed.get()
            && placedEvents == orders
            && consumed == placedEvents + cancelEvents
            && load.failed.get() == 0;
    System.out.printf(
        "  projection check       %s  (%d shipments vs %d orders, %d mismatches; stock never"
            + " negative, stock + sold = initial: %s)%n",
        ok ? "OK  " : "FAIL",
        count(connection, "SELECT count(*) FROM shipments"),
        orders,
        mismatches,
        negativeStock == 0 && stockDrift == 0 ? "yes" : "NO");
    return ok;
  }

  private static long duplicatesSkipped(int adminPort) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode meter =
        new ObjectMapper()
            .readTree(response.body())
            .path("meters")
            .path("shipping.events.duplicates");
    return meter.path("count").asLong();
  }
}
