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
   * <p>The order id is drawn once per request, before the first attempt, so that a retry can find
   * out whether an earlier attempt committed after all (its connection broke while the COMMIT was
   * under way): every retry first locks the product's row, which that attempt held until it ended,
   * then looks for the order. Found, it is this request's order (201); not found, nothing of the
   * earlier attempts committed and the order is placed now. An order is never placed twice.
   *
   * @throws OrderException 404 for an unknown product, 409 for too little stock, 422 for a key
   *     reused with a different request
   * @throws DatabaseUnavailableException when the database stayed away; its message says so if the
   *     order may have been placed
   */
  public Placement place(PlaceOrderRequest request, Optional<String> idempotencyKey)
      throws SQLException {
    String requestHash = hash(request);
    UUID orderId = UUID.randomUUID();
    Attempts attempts = new Attempts();
    try {
      return transactions.inTransaction(
          connection -> {
            if (attempts.next()) {
              store.lockProduct(connection, request.productId());
              Optional<Order> earlier = store.find(connection, orderId);
              if (earlier.isPresent()) {
                return new Placement(earlier.get(), false);
              }
              attempts.resolved();
            }
            if (idempotencyKey.isPresent()
                && !store.reserveKey(connection, idempotencyKey.get(), requestHash)) {
              return replay(connection, idempotencyKey.get(), requestHash);
            }
            Order order = placeNew(connection, orderId, request);
            if (idempotencyKey.isPresent()) {
              store.attachOrder(connection, idempotencyKey.get(), order.id());
            }
            // The event is the transaction's last write: it travels with the COMMIT, one round
            // trip.
            attempts.committing();
            outbox.writeAndCommit(connection, orderPlaced(order));
            return new Placement(order, false);
          });
    } catch (DatabaseUnavailableException e) {
      throw attempts.inDoubt()
          ? e.mayHaveTakenEffect(
              "order "
                  + orderId
                  + " may have been placed before it went away: GET /orders/"
                  + orderId
                  + " tells once it is back")
          : e;
    }
  }

  private Order placeNew(Connection connection, UUID orderId, PlaceOrderRequest request)
      throws SQLException {
    if (!store.decrementStock(connection, request.productId(), request.quantity())) {
      throw store.productExists(connection, request.productId())
          ? OrderException.conflict(
              "not enough stock of product " + request.productId() + " for " + request.quantity())
          : OrderException.notFound("product " + request.productId());
    }
    return store.insertOrder(
        connection, orderId, request.customerId(), request.productId(), request.quantity());
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
   * <p>A retry after a broken connection finds the order cancelled at the version after the one
   * asked for if an earlier attempt committed after all (the order's row lock makes it wait for
   * that attempt to end), and answers with it: the order is cancelled once, as asked. Had a
   * concurrent cancel of the same version won instead while this request's attempts failed, the
   * answer would be the same: either way the order was cancelled once, from the version the client
   * saw.
   *
   * @throws OrderException 404 for an unknown order, 409 for a stale version or an order that is
   *     already cancelled
   * @throws DatabaseUnavailableException when the database stayed away; its message says so if the
   *     cancellation may have taken effect
   */
  public Order cancel(UUID id, int expectedVersion) throws SQLException {
    Attempts attempts = new Attempts();
    try {
      return transactions.inTransaction(
          connection -> {
            boolean retry = attempts.next();
            // Lock order: the order row, then its product row; placing only locks the product.
            Optional<Order> cancelled = store.cancel(connection, id, expectedVersion);
            if (cancelled.isEmpty()) {
              Optional<Order> current = store.find(connection, id);
              if (retry
                  && current.isPresent()
                  && cancelledAsAsked(current.get(), expectedVersion)) {
                return current.get();
              }
              throw whyNotCancelled(id, current, expectedVersion);
            }
            attempts.resolved();
            store.restock(connection, cancelled.get().productId(), cancelled.get().quantity());
            attempts.committing();
            outbox.writeAndCommit(
                connection,
                event(
                    id,
                    OrderCancelled.TYPE,
                    new OrderCancelled(
                        id,
                        cancelled.get().productId(),
                        cancelled.get().quantity(),
                        java.time.Instant.now())));
            return cancelled.get();
          });
    } catch (DatabaseUnavailableException e) {
      throw attempts.inDoubt()
          ? e.mayHaveTakenEffect(
              "the cancellation of order "
                  + id
                  + " may have taken effect before it went away: GET /orders/"
                  + id
                  + " tells once it is back")
          : e;
    }
  }

  private static boolean cancelledAsAsked(Order current, int expectedVersion) {
    return current.status() == OrderStatus.CANCELLED && current.version() == expectedVersion + 1;
  }

  private static OrderException whyNotCancelled(
      UUID id, Optional<Order> current, int expectedVersion) {
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
