package io.github.outboxrelay.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The shop's products: most with stock that never runs out, a few scarce ones that sell out early,
 * so a share of the orders is refused with 409 for the whole run and cancellations (which restore
 * stock) keep reviving them.
 */
final class ShopStock {

  static final int PRODUCTS = 20;
  static final int SCARCE_PRODUCTS = 5;
  static final int PLENTIFUL_STOCK = 1_000_000;
  static final int SCARCE_STOCK = 150;

  private ShopStock() {}

  static String productId(int number) {
    return "product-" + number;
  }

  static int initialStock(int number) {
    return number > PRODUCTS - SCARCE_PRODUCTS ? SCARCE_STOCK : PLENTIFUL_STOCK;
  }

  static long initialTotal() {
    long total = 0;
    for (int p = 1; p <= PRODUCTS; p++) {
      total += initialStock(p);
    }
    return total;
  }

  static void insert(Connection connection) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("INSERT INTO products (id, name, stock) VALUES (?, ?, ?)")) {
      for (int p = 1; p <= PRODUCTS; p++) {
        statement.setString(1, productId(p));
        statement.setString(2, "Product " + p);
        statement.setInt(3, initialStock(p));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }
}
