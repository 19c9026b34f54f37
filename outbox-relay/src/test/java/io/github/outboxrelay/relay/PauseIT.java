package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outboxrelay.writer.OutboxEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pausing a topic holds its events while the other topics flow, and resuming releases them in key
 * order; pausing everything stops the claims. The pauses live in the database, so they outlast a
 * restart; bad requests are refused with a JSON error.
 */
class PauseIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension static final RelayHarness harness = RelayHarness.onSharedKafka();

  @Test
  void aPausedTopicIsHeldWhileOthersFlowAndResumesInKeyOrder() throws Exception {
    String paused = harness.createTopic("paused", 3);
    String flowing = harness.createTopic("flowing", 3);
    assertThat(post("pause", "{\"topic\":\"" + paused + "\"}").statusCode()).isEqualTo(200);
    assertThat(get("pauses"))
        .anySatisfy(p -> assertThat(p.get("topic").asText()).isEqualTo(paused));

    List<OutboxEvent> held = RelayTestSupport.events(paused, 30, 4);
    List<OutboxEvent> others = RelayTestSupport.events(flowing, 30, 4);
    RelayTestSupport.commit(harness.postgres(), interleave(held, others));
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    FaultTestSupport.assertEveryEventArrivedInKeyOrder(
        consumeAll(harness.bootstrapServers(), flowing), others);
    assertThat(consumeAll(harness.bootstrapServers(), paused)).isEmpty();
    assertError(
        post("pause", "{\"topic\":\"" + paused + "\"}"),
        409,
        "topic " + paused + " is paused already");

    HttpResponse<String> resumed = post("resume", "{\"topic\":\"" + paused + "\"}");
    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(json(resumed).get("released").asInt()).isEqualTo(held.size());
    await()
        .atMost(CATCH_UP)
        .until(() -> consumeAll(harness.bootstrapServers(), paused).size() >= held.size());
    FaultTestSupport.assertEveryEventArrivedInKeyOrder(
        consumeAll(harness.bootstrapServers(), paused), held);
    assertError(
        post("resume", "{\"topic\":\"" + paused + "\"}"),
        409,
        "topic " + paused + " is not paused");
  }

  @Test
  void pausingEverythingStopsTheClaimsUntilItResumes() throws Exception {
    String topic = harness.createTopic("all", 3);
    assertThat(post("pause", "{}").statusCode()).isEqualTo(200);
    assertError(post("pause", "{}"), 409, "everything is paused already");

    List<OutboxEvent> events = RelayTestSupport.events(topic, 20, 4);
    RelayTestSupport.commit(harness.postgres(), events);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> pending(harness.postgres()) == events.size());

    HttpResponse<String> resumed = post("resume", "{}");
    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(json(resumed).get("resumed").get(0).asText()).isEqualTo("*");
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    FaultTestSupport.assertEveryEventArrivedInKeyOrder(
        consumeAll(harness.bootstrapServers(), topic), events);
    assertError(post("resume", "{}"), 409, "nothing is paused");
  }

  @Test
  void aPauseOutlastsARestartOfTheRelay() throws Exception {
    String paused = harness.createTopic("restarted", 3);
    assertThat(post("pause", "{\"topic\":\"" + paused + "\"}").statusCode()).isEqualTo(200);

    Object running = harness.relay().getEnvironment();
    harness.relay().after(); // the relay stops, as on a deploy
    harness.relay().before(); // and starts again, with nothing but the database to go by
    assertThat(harness.relay().getEnvironment()).as("a new relay").isNotSameAs(running);

    List<OutboxEvent> held = RelayTestSupport.events(paused, 10, 2);
    RelayTestSupport.commit(harness.postgres(), held);
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    assertThat(consumeAll(harness.bootstrapServers(), paused)).isEmpty();
    assertThat(get("pauses"))
        .anySatisfy(p -> assertThat(p.get("topic").asText()).isEqualTo(paused));

    assertThat(json(post("resume", "{\"topic\":\"" + paused + "\"}")).get("released").asInt())
        .isEqualTo(held.size());
    await()
        .atMost(CATCH_UP)
        .until(() -> consumeAll(harness.bootstrapServers(), paused).size() >= held.size());
    FaultTestSupport.assertEveryEventArrivedInKeyOrder(
        consumeAll(harness.bootstrapServers(), paused), held);
  }

  @Test
  void malformedPauseRequestsAreRefused() throws Exception {
    assertError(
        post("pause", "{\"topic\":\"bad topic!\"}"),
        400,
        "topic must be a Kafka topic name (1 to 249 of a-z, A-Z, 0-9, '.', '_', '-'), not 'bad"
            + " topic!'");
    assertError(
        post("pause", ""),
        400,
        "a JSON body is required: {} for everything, or {\"topic\": \"...\"}");
    assertThat(get("pauses")).isEmpty();
  }

  private static List<OutboxEvent> interleave(List<OutboxEvent> a, List<OutboxEvent> b) {
    List<OutboxEvent> mixed = new java.util.ArrayList<>();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      if (i < a.size()) {
        mixed.add(a.get(i));
      }
      if (i < b.size()) {
        mixed.add(b.get(i));
      }
    }
    return mixed;
  }

  private static void assertError(HttpResponse<String> response, int status, String message)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.get("code").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).isEqualTo(message);
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + harness.relay().getAdminPort() + "/api/" + path));
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return harness.relay().getObjectMapper().readTree(response.body());
  }
}
