package io.github.outboxrelay.sample.consumer;

import io.github.outboxrelay.sample.api.events.OrderCancelled;
import io.github.outboxrelay.sample.api.events.OrderPlaced;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;

/** The consumer's SQL: the de-duplication record and the shipping projection. */
final class ShippingRepository {

  /**
   * Records an event as processed.
   *
   * @return false if it was processed before: a re-delivery to skip
   */
  boolean markProcessed(Connection connection, UUID eventId, String eventType, String outcome)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO processed_events (event_id, event_type, outcome) VALUES (?, ?, ?)"
                + " ON CONFLICT (event_id) DO NOTHING")) {
      statement.setObject(1, eventId);
      statement.setString(2, eventType);
      statement.setString(3, outcome);
      return statement.executeUpdate() == 1;
    }
  }

  void shipmentPlaced(Connection connection, OrderPlaced event) throws SQLException {
    // A cancellation that overtook its placement (possible with several relays) keeps its status.
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO shipments (order_id, customer_id, product_id, quantity, status, placed_at)"
                + " VALUES (?, ?, ?, ?, 'TO_SHIP', ?) ON CONFLICT (order_id) DO UPDATE SET"
                + " customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id,"
                + " quantity = EXCLUDED.quantity, placed_at = EXCLUDED.placed_at,"
                + " updated_at = now()")) {
      statement.setObject(1, event.orderId());
      statement.setString(2, event.customerId());
      statement.setString(3, event.productId());
      statement.setInt(4, event.quantity());
      statement.setTimestamp(5, Timestamp.from(event.placedAt()));
      statement.executeUpdate();
    }
  }

  void shipmentCancelled(Connection connection, OrderCancelled event) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO shipments (order_id, customer_id, product_id, quantity, status, placed_at)"
                + " VALUES (?, '', ?, ?, 'CANCELLED', ?) ON CONFLICT (order_id) DO UPDATE SET"
                + " status = 'CANCELLED', updated_at = now()")) {
      statement.setObject(1, event.orderId());
      statement.setString(2, event.productId());
      statement.setInt(3, event.quantity());
      statement.setTimestamp(4, Timestamp.from(event.cancelledAt()));
      statement.executeUpdate();
    }
  }
}
