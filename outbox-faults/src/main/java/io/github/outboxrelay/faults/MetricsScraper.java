package io.github.outboxrelay.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.faults.check.RelayScrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads every relay's admin {@code /metrics} once a second and keeps the last answer of each
 * process incarnation: a killed relay's meters die with it, so its last scrape is all that is left
 * of what it counted.
 */
final class MetricsScraper implements AutoCloseable {

  private final List<RelayNode> relays;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, RelayScrape> last = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "faults-metrics");
            thread.setDaemon(true);
            return thread;
          });

  MetricsScraper(List<RelayNode> relays) {
    this.relays = relays;
  }

  void start() {
    timer.scheduleAtFixedRate(this::scrapeAll, 0, 1, TimeUnit.SECONDS);
  }

  private void scrapeAll() {
    for (RelayNode relay : relays) {
      scrape(relay);
    }
  }

  /** Scrapes one relay now; empty when it does not answer (dead, starting, or stalled). */
  Optional<RelayScrape> scrape(RelayNode relay) {
    if (!relay.isAlive()) {
      return Optional.empty();
    }
    long pid = relay.process().pid();
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + relay.adminPort() + "/metrics"))
                  .timeout(Duration.ofMillis(900))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || relay.process().pid() != pid) {
        return Optional.empty();
      }
      JsonNode metrics = json.readTree(response.body());
      RelayScrape scrape =
          new RelayScrape(
              relay.name(),
              pid,
              System.currentTimeMillis(),
              meter(metrics, "outbox.relay.published"),
              meter(metrics, "outbox.relay.parked"),
              meter(metrics, "outbox.relay.batches.rolled-back"),
              gauge(metrics, "outbox.relay.active") == 1,
              gauge(metrics, "outbox.parked"));
      last.put(scrape.incarnation(), scrape);
      return Optional.of(scrape);
    } catch (Exception e) {
      return Optional.empty(); // not answering now; the last scrape stands
    }
  }

  private static long meter(JsonNode metrics, String name) {
    return metrics.path("meters").path(name).path("count").asLong();
  }

  private static long gauge(JsonNode metrics, String name) {
    return metrics.path("gauges").path(name).path("value").asLong(-1);
  }

  /** The last scrape of every incarnation seen. */
  Map<String, RelayScrape> lastScrapes() {
    return Map.copyOf(last);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
  }
}
