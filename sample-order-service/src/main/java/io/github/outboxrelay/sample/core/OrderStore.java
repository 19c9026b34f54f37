package io.github.outboxrelay.sample.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the shop keeps stock, orders and idempotency keys, as {@link OrderService} needs them (the
 * database adapter implements it). Every method runs on the caller's connection, inside its
 * transaction.
 */
public interface OrderStore {

  /**
   * Takes {@code quantity} from stock if that much is left, as one atomic step: concurrent orders
   * cannot oversell, and orders of the same product are serialized.
   *
   * @return false if the product is unknown or has too little stock
   */
  boolean decrementStock(Connection connection, String productId, int quantity) throws SQLException;

  void restock(Connection connection, String productId, int quantity) throws SQLException;

  /**
   * Locks the product's row as a stock change does, waiting first for any transaction that is
   * changing it to end, so that what that transaction wrote (if it committed) is visible to the
   * statements after this one.
   */
  void lockProduct(Connection connection, String productId) throws SQLException;

  boolean productExists(Connection connection, String productId) throws SQLException;

  /** Inserts a placed order and returns it as stored. */
  Order insertOrder(
      Connection connection, UUID id, String customerId, String productId, int quantity)
      throws SQLException;

  Optional<Order> find(Connection connection, UUID id) throws SQLException;

  /**
   * Cancels a placed order if it still has the version the client saw (optimistic locking): a
   * concurrent change makes it match nothing.
   *
   * @return the cancelled order, or empty if it is unknown, changed or already cancelled
   */
  Optional<Order> cancel(Connection connection, UUID id, int expectedVersion) throws SQLException;

  /** A key already used, with the request it was used for and the order it placed. */
  record StoredKey(String requestHash, UUID orderId) {}

  /**
   * Reserves an idempotency key. A concurrent request with the same key waits until this
   * transaction ends, then sees the stored key instead of placing a second order.
   *
   * @return true if the key is new and now reserved by this transaction
   */
  boolean reserveKey(Connection connection, String key, String requestHash) throws SQLException;

  Optional<StoredKey> findKey(Connection connection, String key) throws SQLException;

  /** Records the order a reserved key placed. */
  void attachOrder(Connection connection, String key, UUID orderId) throws SQLException;
}
