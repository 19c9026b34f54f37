package io.github.outboxrelay.sample.db;

import io.github.outboxrelay.sample.core.Order;
import io.github.outboxrelay.sample.core.OrderStatus;
import io.github.outboxrelay.sample.core.OrderStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

/** The shop's SQL: the {@link OrderStore} of the running service. */
public final class OrderRepository implements OrderStore {

  private static final String ORDER_COLUMNS =
      "id, customer_id, product_id, quantity, status, version, created_at";

  /**
   * The condition in the UPDATE makes the check and the decrement one atomic step; the row lock it
   * takes serializes orders of the same product.
   */
  @Override
  public boolean decrementStock(Connection connection, String productId, int quantity)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?")) {
      statement.setInt(1, quantity);
      statement.setString(2, productId);
      statement.setInt(3, quantity);
      return statement.executeUpdate() == 1;
    }
  }

  @Override
  public void restock(Connection connection, String productId, int quantity) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE products SET stock = stock + ? WHERE id = ?")) {
      statement.setInt(1, quantity);
      statement.setString(2, productId);
      statement.executeUpdate();
    }
  }

  /** FOR NO KEY UPDATE is the lock the stock UPDATE takes: taking it first upgrades nothing. */
  @Override
  public void lockProduct(Connection connection, String productId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM products WHERE id = ? FOR NO KEY UPDATE")) {
      statement.setString(1, productId);
      statement.executeQuery().close();
    }
  }

  @Override
  public boolean productExists(Connection connection, String productId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM products WHERE id = ?")) {
      statement.setString(1, productId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public Order insertOrder(
      Connection connection, UUID id, String customerId, String productId, int quantity)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO orders (id, customer_id, product_id, quantity, status)"
                + " VALUES (?, ?, ?, ?, 'PLACED') RETURNING "
                + ORDER_COLUMNS)) {
      statement.setObject(1, id);
      statement.setString(2, customerId);
      statement.setString(3, productId);
      statement.setInt(4, quantity);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return order(rs);
      }
    }
  }

  @Override
  public Optional<Order> find(Connection connection, UUID id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(order(rs)) : Optional.empty();
      }
    }
  }

  /** The version check and the change are one statement. */
  @Override
  public Optional<Order> cancel(Connection connection, UUID id, int expectedVersion)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE orders SET status = 'CANCELLED', version = version + 1"
                + " WHERE id = ? AND version = ? AND status = 'PLACED' RETURNING "
                + ORDER_COLUMNS)) {
      statement.setObject(1, id);
      statement.setInt(2, expectedVersion);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(order(rs)) : Optional.empty();
      }
    }
  }

  /** A concurrent request with the same key waits on the unique index. */
  @Override
  public boolean reserveKey(Connection connection, String key, String requestHash)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO idempotency_keys (key, request_hash) VALUES (?, ?)"
                + " ON CONFLICT (key) DO NOTHING")) {
      statement.setString(1, key);
      statement.setString(2, requestHash);
      return statement.executeUpdate() == 1;
    }
  }

  @Override
  public Optional<StoredKey> findKey(Connection connection, String key) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT request_hash, order_id FROM idempotency_keys WHERE key = ?")) {
      statement.setString(1, key);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next()
            ? Optional.of(new StoredKey(rs.getString(1), rs.getObject(2, UUID.class)))
            : Optional.empty();
      }
    }
  }

  @Override
  public void attachOrder(Connection connection, String key, UUID orderId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE idempotency_keys SET order_id = ? WHERE key = ?")) {
      statement.setObject(1, orderId);
      statement.setString(2, key);
      statement.executeUpdate();
    }
  }

  private static Order order(ResultSet rs) throws SQLException {
    Timestamp created = rs.getTimestamp(7);
    return new Order(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getString(3),
        rs.getInt(4),
        OrderStatus.valueOf(rs.getString(5)),
        rs.getInt(6),
        created.toInstant());
  }
}
