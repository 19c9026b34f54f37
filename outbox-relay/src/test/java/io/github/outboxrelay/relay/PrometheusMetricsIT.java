package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.outboxrelay.writer.OutboxEvent;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's metrics in Prometheus's text format at /metrics/prometheus: published events per
 * topic, the backlog, parked and held events, pauses and the lease, under Prometheus's naming
 * conventions, and accepted by {@code promtool check metrics}, Prometheus's own parser and linter.
 * CI provides promtool (PROMTOOL, from Debian's prometheus package) and requires the check
 * (OUTBOX_REQUIRE_PROMTOOL); elsewhere it is skipped when promtool is missing.
 */
class PrometheusMetricsIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(
          io.dropwizard.testing.ConfigOverride.config("outbox.metricsRefresh", "100ms"));

  @Test
  void theScrapeHasTheRelaysFiguresUnderPrometheusNames() throws Exception {
    String topic = harness.createTopic("scraped", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 25, 5);
    RelayTestSupport.commit(harness.postgres(), events);
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    RelayTestSupport.parkedRow(harness.postgres(), topic, "order-parked", "refused");
    post("/api/pause", "{\"topic\":\"paused-topic\"}");

    await()
        .atMost(CATCH_UP)
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .contains(
                        "outbox_relay_published_events_total{topic=\"" + topic + "\"} 25.0",
                        "outbox_parked_events 1.0",
                        "outbox_held_events 0.0",
                        "outbox_backlog_events 0.0",
                        "outbox_paused{topic=\"paused-topic\"} 1.0",
                        "outbox_relay_lease_holder 1.0",
                        "# TYPE outbox_relay_batch_duration_seconds histogram",
                        "# TYPE outbox_oldest_unpublished_age_seconds gauge"));
    post("/api/resume", "{}");
  }

  @Test
  void promtoolAcceptsTheScrape() throws Exception {
    Optional<String> promtool = promtool();
    if (System.getenv("OUTBOX_REQUIRE_PROMTOOL") != null) {
      assertThat(promtool).as("promtool, which CI requires (PROMTOOL or PATH)").isPresent();
    }
    Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed here");
    String scrape = scrape();
    Process check =
        new ProcessBuilder(promtool.get(), "check", "metrics").redirectErrorStream(true).start();
    check.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
    check.getOutputStream().close();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output).as("promtool's lint").isBlank();
  }

  /** promtool from PROMTOOL or the PATH. */
  static Optional<String> promtool() {
    String configured = System.getenv("PROMTOOL");
    if (configured != null && new File(configured).canExecute()) {
      return Optional.of(configured);
    }
    return RelayTestSupport.onPath("promtool");
  }

  private static String scrape() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            request("/metrics/prometheus").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    return response.body();
  }

  private static void post(String path, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + harness.relay().getAdminPort() + path));
  }
}
