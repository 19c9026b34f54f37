package io.github.outboxrelay.sample.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.sample.db.SchemaMigration;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The writer in action until the full demo exists: places orders in a fresh {@value #SCHEMA}
 * schema, each one decrementing stock, inserting the order and writing an {@code OrderPlaced} event
 * in one transaction, and shows that an order refused for lack of stock leaves no event.
 *
 * <p>Connects to {@code OUTBOX_JDBC_URL} (default {@code
 * jdbc:postgresql://127.0.0.1:5432/postgres}) as {@code OUTBOX_DB_USER} (default {@code postgres})
 * with {@code OUTBOX_DB_PASSWORD}.
 */
public final class WriterDemo {

  static final String SCHEMA = "outbox_demo";

  private WriterDemo() {}

  public static void main(String[] args) throws SQLException {
    try (HikariDataSource dataSource = dataSource()) {
      resetSchema(dataSource);
      OutboxWriter outbox = OutboxWriter.builder().build();
      for (int i = 1; i <= 4; i++) {
        String customer = "customer-" + i;
        boolean placed = placeOrder(dataSource, outbox, customer, "widget", 1);
        System.out.printf(
            Locale.ROOT,
            "order for %s: %s%n",
            customer,
            placed ? "placed" : "refused, out of stock");
      }
      printOutbox(dataSource);
    }
  }

  /** Stock, order and event in one transaction: all three or none. */
  static boolean placeOrder(
      HikariDataSource dataSource, OutboxWriter outbox, String customer, String product, int qty)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (!decrementStock(connection, product, qty)) {
          connection.rollback();
          return false;
        }
        UUID orderId = UUID.randomUUID();
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO orders (id, customer_id, product_id, quantity, status)"
                    + " VALUES (?, ?, ?, ?, 'PLACED')")) {
          insert.setObject(1, orderId);
          insert.setString(2, customer);
          insert.setString(3, product);
          insert.setInt(4, qty);
          insert.executeUpdate();
        }
        outbox.write(
            connection,
            OutboxEvent.builder()
                .aggregateType("order")
                .aggregateId(orderId.toString())
                .eventType("OrderPlaced")
                .jsonPayload(orderPlacedJson(orderId, customer, product, qty))
                .build());
        connection.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** Locale.ROOT: with the host's locale, "%d" writes Arabic-Indic digits, which is not JSON. */
  static String orderPlacedJson(UUID orderId, String customer, String product, int qty) {
    return String.format(
        Locale.ROOT,
        "{\"orderId\":\"%s\",\"customerId\":\"%s\",\"productId\":\"%s\",\"quantity\":%d}",
        orderId,
        customer,
        product,
        qty);
  }

  private static boolean decrementStock(Connection connection, String product, int qty)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?")) {
      update.setInt(1, qty);
      update.setString(2, product);
      update.setInt(3, qty);
      return update.executeUpdate() == 1;
    }
  }

  private static void printOutbox(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT seq, topic, aggregateid, type, payload FROM outbox ORDER BY seq")) {
      System.out.println("outbox rows waiting for the relay:");
      while (rows.next()) {
        System.out.printf(
            Locale.ROOT,
            "  #%d %s key=%s %s %s%n",
            rows.getLong("seq"),
            rows.getString("topic"),
            rows.getString("aggregateid"),
            rows.getString("type"),
            new String(rows.getBytes("payload"), StandardCharsets.UTF_8));
      }
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM orders), (SELECT stock FROM products WHERE id ="
                    + " 'widget')")) {
      row.next();
      System.out.printf(
          Locale.ROOT, "orders: %d, widgets left in stock: %d%n", row.getLong(1), row.getInt(2));
    }
  }

  private static void resetSchema(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + SCHEMA);
    }
    SchemaMigration.migrate(dataSource);
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO products (id, name, stock) VALUES ('widget', 'Widget', 3)");
    }
  }

  private static HikariDataSource dataSource() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(env("OUTBOX_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"));
    config.setUsername(env("OUTBOX_DB_USER", "postgres"));
    config.setPassword(System.getenv("OUTBOX_DB_PASSWORD"));
    config.setMaximumPoolSize(2);
    config.addDataSourceProperty("currentSchema", SCHEMA);
    return new HikariDataSource(config);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
