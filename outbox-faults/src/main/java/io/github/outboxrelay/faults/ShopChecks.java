package io.github.outboxrelay.faults;

import static io.github.outboxrelay.faults.Database.count;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The consumer's side and the shop's books, once everything has drained: the shipping projection
 * equals the orders table, every order event was applied exactly once (the consumer records each
 * event id in the same transaction as its effect), and stock never went negative and adds up.
 */
record ShopChecks(
    long orders,
    long placedOrders,
    long cancelledOrders,
    long shipments,
    long projectionMismatches,
    long orderEvents,
    long processedEvents,
    long eventsNotProcessed,
    long processedUnknown,
    long rejectedByConsumer,
    long negativeStock,
    long stockDrift,
    long consumerDuplicatesSkipped) {

  static ShopChecks read(Connection connection, long consumerDuplicatesSkipped)
      throws SQLException {
    String orderTopic = "'" + FaultEnvironment.TOPIC + "'";
    return new ShopChecks(
        count(connection, "SELECT count(*) FROM orders"),
        count(connection, "SELECT count(*) FROM orders WHERE status = 'PLACED'"),
        count(connection, "SELECT count(*) FROM orders WHERE status <> 'PLACED'"),
        count(connection, "SELECT count(*) FROM shipments"),
        count(
            connection,
            "SELECT count(*) FROM orders o FULL JOIN shipments s ON s.order_id = o.id"
                + " WHERE o.id IS NULL OR s.order_id IS NULL"
                + " OR (o.status = 'PLACED') <> (s.status = 'TO_SHIP') OR o.quantity <>"
                + " s.quantity"),
        count(connection, "SELECT count(*) FROM outbox WHERE topic = " + orderTopic),
        count(connection, "SELECT count(*) FROM processed_events"),
        count(
            connection,
            "SELECT count(*) FROM outbox o WHERE o.topic = "
                + orderTopic
                + " AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.event_id = o.id)"),
        count(
            connection,
            "SELECT count(*) FROM processed_events p"
                + " WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = p.event_id)"),
        count(connection, "SELECT count(*) FROM processed_events WHERE outcome <> 'APPLIED'"),
        count(connection, "SELECT count(*) FROM products WHERE stock < 0"),
        count(
            connection,
            "SELECT abs("
                + ShopStock.initialTotal()
                + " - (SELECT sum(stock) FROM products)"
                + " - (SELECT coalesce(sum(quantity), 0) FROM orders WHERE status = 'PLACED'))"),
        consumerDuplicatesSkipped);
  }

  /** Every order event applied once, to the right state. */
  boolean projectionOk() {
    return projectionMismatches == 0
        && eventsNotProcessed == 0
        && processedUnknown == 0
        && rejectedByConsumer == 0
        && processedEvents == orderEvents;
  }

  boolean stockOk() {
    return negativeStock == 0 && stockDrift == 0;
  }

  /** The consumer's own count of re-delivered events it skipped, from the service's metrics. */
  static long duplicatesSkipped(int adminPort) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper()
        .readTree(response.body())
        .path("meters")
        .path("shipping.events.duplicates")
        .path("count")
        .asLong(-1);
  }
}
