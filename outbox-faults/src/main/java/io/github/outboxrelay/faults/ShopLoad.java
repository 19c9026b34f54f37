package io.github.outboxrelay.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Shoppers placing orders over the REST API without pause until stopped, at an overall pace of
 * {@code ordersPerSecond}: random products (some scarce, so some orders get 409) and quantities,
 * and one placed order in five cancelled right away, so that its key has two events in order.
 */
final class ShopLoad {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final String baseUrl;
  private final int clients;
  private final long pauseNanos;
  private final long seed;
  private final ResponseLog log = new ResponseLog();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  ShopLoad(String baseUrl, int clients, int ordersPerSecond, long seed) {
    this.baseUrl = baseUrl;
    this.clients = clients;
    this.pauseNanos = 1_000_000_000L * clients / Math.max(1, ordersPerSecond);
    this.seed = seed;
  }

  ResponseLog responses() {
    return log;
  }

  void start() {
    for (int i = 0; i < clients; i++) {
      Random random = new Random(seed + i);
      int client = i;
      Thread thread = new Thread(() -> shop(client, random), "faults-shopper-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Stops placing orders and waits for the requests under way. */
  void stop() throws InterruptedException {
    stopping = true;
    for (Thread thread : threads) {
      thread.join(REQUEST_TIMEOUT.toMillis() * 3);
    }
  }

  private void shop(int client, Random random) {
    long next = System.nanoTime();
    int n = 0;
    while (!stopping) {
      String body =
          String.format(
              Locale.ROOT,
              "{\"customerId\":\"customer-%d-%d\",\"productId\":\"%s\",\"quantity\":%d}",
              client,
              n++,
              ShopStock.productId(1 + random.nextInt(ShopStock.PRODUCTS)),
              1 + random.nextInt(3));
      placeOne(body, random.nextInt(5) == 0);
      next += pauseNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime(); // behind (an outage): do not rush to catch up
      }
    }
  }

  private void placeOne(String body, boolean cancel) {
    HttpResponse<String> placed;
    try {
      placed = post("/orders", body);
    } catch (Exception e) {
      log.noResponse("POST /orders", e);
      return;
    }
    log.placeAnswered(placed.statusCode());
    if (placed.statusCode() != 201 || !cancel) {
      return;
    }
    try {
      String id = json.readTree(placed.body()).get("id").asText();
      HttpResponse<String> cancelled = post("/orders/" + id + "/cancel", "{\"version\":0}");
      log.cancelAnswered(cancelled.statusCode());
    } catch (Exception e) {
      log.noResponse("POST /orders/{id}/cancel", e);
    }
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
