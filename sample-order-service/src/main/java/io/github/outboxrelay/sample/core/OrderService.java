package io.github.outboxrelay.sample.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.sample.api.PlaceOrderRequest;
import io.github.outboxrelay.sample.api.events.OrderCancelled;
import io.github.outboxrelay.sample.api.events.OrderPlaced;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Placing and cancelling orders. Each operation is one transaction in which the business rows and
 * the outbox event are written together: both commit or neither does.
 */
public final class OrderService {

  static final String AGGREGATE_TYPE = "order";

  private final TransactionRunner transactions;
  private final OrderStore store;
  private final OutboxWriter outbox;
  private final ObjectMapper json;

  public OrderService(
      TransactionRunner transactions, OrderStore store, OutboxWriter outbox, ObjectMapper json) {
    this.transactions = transactions;
    this.store = store;
    this.outbox = outbox;
    this.json = json;
  }

  /** The outcome of a place request: the order, and whether this request placed it. */
  public record Placement(Order order, boolean replayed) {}

  /**
   * Decrements stock if enough is left, inserts the order and writes {@code OrderPlaced}, in one
   * transaction, which the event write commits. With an idempotency key, a repeated request returns
   * the order the first placed.
   *
   * @throws OrderException 404 for an unknown product, 409 for too little stock, 422 for a key
   *     reused with a different request
   */
  public Placement place(PlaceOrderRequest request, Optional<String> idempotencyKey)
      throws SQLException {
    String requestHash = hash(request);
    return transactions.inTransaction(
        connection -> {
          if (idempotencyKey.isPresent()
              && !store.reserveKey(connection, idempotencyKey.get(), requestHash)) {
            return replay(connection, idempotencyKey.get(), requestHash);
          }
          Order order = placeNew(connection, request);
          if (idempotencyKey.isPresent()) {
            store.attachOrder(connection, idempotencyKey.get(), order.id());
          }
          // The event is the transaction's last write: it travels with the COMMIT, one round trip.
          outbox.writeAndCommit(connection, orderPlaced(order));
          return new Placement(order, false);
        });
  }

  private Order placeNew(Connection connection, PlaceOrderRequest request) throws SQLException {
    if (!store.decrementStock(connection, request.productId(), request.quantity())) {
      throw store.productExists(connection, request.productId())
          ? OrderException.conflict(
              "not enough stock of product " + request.productId() + " for " + request.quantity())
          : OrderException.notFound("product " + request.productId());
    }
    return store.insertOrder(
        connection,
        UUID.randomUUID(),
        request.customerId(),
        request.productId(),
        request.quantity());
  }

  private OutboxEvent orderPlaced(Order order) {
    return event(
        order.id(),
        OrderPlaced.TYPE,
        new OrderPlaced(
            order.id(),
            order.customerId(),
            order.productId(),
            order.quantity(),
            order.createdAt()));
  }

  private Placement replay(Connection connection, String key, String requestHash)
      throws SQLException {
    OrderStore.StoredKey stored =
        store.findKey(connection, key).orElseThrow(() -> new IllegalStateException(key));
    if (!stored.requestHash().equals(requestHash)) {
      throw OrderException.unprocessable(
          "Idempotency-Key '" + key + "' was already used for a different request");
    }
    Order order =
        store
            .find(connection, stored.orderId())
            .orElseThrow(() -> new IllegalStateException("order of key " + key + " is gone"));
    return new Placement(order, true);
  }

  public Order get(UUID id) throws SQLException {
    return transactions.inTransaction(
        connection ->
            store.find(connection, id).orElseThrow(() -> OrderException.notFound("order " + id)));
  }

  /**
   * Cancels a placed order if the client saw its current version, restores the stock and writes
   * {@code OrderCancelled}, in one transaction.
   *
   * @throws OrderException 404 for an unknown order, 409 for a stale version or an order that is
   *     already cancelled
   */
  public Order cancel(UUID id, int expectedVersion) throws SQLException {
    return transactions.inTransaction(
        connection -> {
          // Lock order: the order row, then its product row; placing only locks the product.
          Order cancelled =
              store
                  .cancel(connection, id, expectedVersion)
                  .orElseThrow(() -> whyNotCancelled(connection, id, expectedVersion));
          store.restock(connection, cancelled.productId(), cancelled.quantity());
          outbox.writeAndCommit(
              connection,
              event(
                  id,
                  OrderCancelled.TYPE,
                  new OrderCancelled(
                      id, cancelled.productId(), cancelled.quantity(), java.time.Instant.now())));
          return cancelled;
        });
  }

  private OrderException whyNotCancelled(Connection connection, UUID id, int expectedVersion) {
    try {
      Optional<Order> current = store.find(connection, id);
      if (current.isEmpty()) {
        return OrderException.notFound("order " + id);
      }
      if (current.get().status() == OrderStatus.CANCELLED) {
        return OrderException.conflict("order " + id + " is already cancelled");
      }
      return OrderException.conflict(
          "order "
              + id
              + " has version "
              + current.get().version()
              + ", not "
              + expectedVersion
              + ": it changed since you read it");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private OutboxEvent event(UUID orderId, String type, Object payload) {
    try {
      return OutboxEvent.builder()
          .aggregateType(AGGREGATE_TYPE)
          .aggregateId(orderId.toString())
          .eventType(type)
          .payload(json.writeValueAsBytes(payload))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + type, e);
    }
  }

  private static String hash(PlaceOrderRequest request) {
    String canonical =
        request.customerId() + '\n' + request.productId() + '\n' + request.quantity();
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
