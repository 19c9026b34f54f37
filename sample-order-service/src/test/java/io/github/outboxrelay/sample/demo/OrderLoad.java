package io.github.outboxrelay.sample.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places orders concurrently through the REST API, as many shoppers would: random products and
 * quantities against stock that runs out, and every twentieth placed order cancelled again.
 */
final class OrderLoad {

  static final int PRODUCTS = 5;

  final AtomicInteger placed = new AtomicInteger();
  final AtomicInteger rejected = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();

  private final String baseUrl;
  private final int orders;
  private final int concurrency;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  OrderLoad(String baseUrl, int orders, int concurrency) {
    this.baseUrl = baseUrl;
    this.orders = orders;
    this.concurrency = concurrency;
  }

  /** Stock for about 85% of the expected demand (quantities 1 to 3, two on average). */
  int stockPerProduct() {
    return (int) (orders * 2 * 0.85 / PRODUCTS);
  }

  void run() throws InterruptedException {
    ExecutorService shoppers = Executors.newFixedThreadPool(concurrency);
    Random random = new Random(42);
    for (int i = 0; i < orders; i++) {
      String body =
          "{\"customerId\":\"customer-%d\",\"productId\":\"product-%d\",\"quantity\":%d}"
              .formatted(i, 1 + random.nextInt(PRODUCTS), 1 + random.nextInt(3));
      shoppers.submit(() -> placeOne(body));
    }
    shoppers.shutdown();
    shoppers.awaitTermination(1, TimeUnit.HOURS);
  }

  private void placeOne(String body) {
    try {
      HttpResponse<String> response = post("/orders", body);
      if (response.statusCode() == 201) {
        if (placed.incrementAndGet() % 20 == 0) {
          String id = json.readTree(response.body()).get("id").asText();
          if (post("/orders/" + id + "/cancel", "{\"version\":0}").statusCode() == 200) {
            cancelled.incrementAndGet();
          }
        }
      } else if (response.statusCode() == 409) {
        rejected.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
    } catch (Exception e) {
      failed.incrementAndGet();
    }
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  int done() {
    return placed.get() + rejected.get() + failed.get();
  }
}
