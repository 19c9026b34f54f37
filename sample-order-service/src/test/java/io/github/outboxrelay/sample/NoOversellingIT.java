package io.github.outboxrelay.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many concurrent orders against little stock: never oversold, one event per order placed. */
class NoOversellingIT {

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension();

  @Order(2)
  @RegisterExtension
  static final DropwizardAppExtension<OrderServiceConfiguration> app =
      HttpApi.orderService(postgres);

  @Test
  void concurrentOrdersNeverOversellAndEachSuccessWritesOneEvent() throws Exception {
    postgres.execute("INSERT INTO products (id, name, stock) VALUES ('hot', 'Hot item', 50)");
    HttpClient http = HttpClient.newHttpClient();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<Integer>> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        int quantity = 1 + i % 3;
        String body =
            "{\"customerId\":\"c-%d\",\"productId\":\"hot\",\"quantity\":%d}"
                .formatted(i, quantity);
        statuses.add(
            clients.submit(
                () ->
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        "http://127.0.0.1:" + app.getLocalPort() + "/orders"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()));
      }
      long placed = 0;
      long refused = 0;
      for (Future<Integer> status : statuses) {
        int code = status.get();
        assertThat(code).isIn(201, 409);
        if (code == 201) {
          placed++;
        } else {
          refused++;
        }
      }

      long stock = postgres.queryForLong("SELECT stock FROM products WHERE id = 'hot'");
      long sold = postgres.queryForLong("SELECT coalesce(sum(quantity), 0) FROM orders");
      assertThat(stock).isGreaterThanOrEqualTo(0);
      assertThat(stock + sold).isEqualTo(50);
      assertThat(refused).isPositive();
      assertThat(postgres.queryForLong("SELECT count(*) FROM orders")).isEqualTo(placed);
      assertThat(postgres.queryForLong("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced'"))
          .isEqualTo(placed);
    } finally {
      clients.shutdownNow();
    }
  }
}
