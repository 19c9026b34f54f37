package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.idsByKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JSON admin API on the admin port: parked events and the keys they hold are listed; a requeue
 * of a key releases it in write order; a skip records who and why; every request it refuses gets a
 * JSON error saying what is wrong, and changes nothing.
 */
class AdminApiIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension static final RelayHarness harness = RelayHarness.onSharedKafka();

  /** A parked event and the events of its key held behind it, as the relay leaves them. */
  private record HeldKey(String topic, String key, UUID parked, List<UUID> held) {}

  @Test
  void listsParkedEventsAndHeldKeysAndRequeuesAKeyInWriteOrder() throws Exception {
    String topic = harness.createTopic("api", 3);
    HeldKey first = holdKey(topic, "order-a", 2);
    HeldKey second = holdKey(topic, "order-b", 1);

    JsonNode page = get("parked?topic=" + topic);
    assertThat(page.get("events")).hasSize(2);
    JsonNode listed = page.get("events").get(0);
    assertThat(listed.get("id").asText()).isEqualTo(first.parked().toString());
    assertThat(listed.get("key").asText()).isEqualTo("order-a");
    assertThat(listed.get("attempts").asInt()).isEqualTo(5);
    assertThat(listed.get("lastError").asText()).isEqualTo("refused for the test");
    assertThat(listed.get("heldEvents").asLong()).isEqualTo(2);
    assertThat(page.get("next").isNull()).isTrue();
    JsonNode firstPage = get("parked?topic=" + topic + "&limit=1");
    assertThat(firstPage.get("events")).hasSize(1);
    JsonNode nextPage =
        get("parked?topic=" + topic + "&limit=1&after=" + firstPage.get("next").asLong());
    assertThat(nextPage.get("events").get(0).get("id").asText())
        .isEqualTo(second.parked().toString());
    assertThat(get("parked?topic=" + topic + "&key=order-b").get("events")).hasSize(1);
    assertThat(get("held-keys"))
        .anySatisfy(
            key -> {
              assertThat(key.get("key").asText()).isEqualTo("order-a");
              assertThat(key.get("heldEvents").asLong()).isEqualTo(2);
            });

    HttpResponse<String> requeued =
        post("parked/requeue", "{\"topic\":\"" + topic + "\",\"key\":\"order-a\"}");
    assertThat(requeued.statusCode()).isEqualTo(200);
    assertThat(json(requeued).get("parked").asInt()).isEqualTo(1);
    assertThat(json(requeued).get("released").asInt()).isEqualTo(2);

    List<UUID> expected = new ArrayList<>(List.of(first.parked()));
    expected.addAll(first.held());
    await().atMost(CATCH_UP).until(() -> arrivals(topic, "order-a").size() >= 3);
    assertThat(new ArrayList<>(new LinkedHashSet<>(arrivals(topic, "order-a"))))
        .isEqualTo(expected);
    assertThat(arrivals(topic, "order-b")).as("still held").isEmpty();
    assertThat(get("parked?topic=" + topic).get("events")).hasSize(1);
  }

  @Test
  void aSkipNeedsAReasonAndRecordsWhoAndWhy() throws Exception {
    String topic = harness.createTopic("skip", 3);
    HeldKey key = holdKey(topic, "order-s", 1);

    HttpResponse<String> noReason = post("parked/" + key.parked() + "/skip", "{}");
    assertError(noReason, 400, "\"reason\" is required: say why the event is given up");
    HttpResponse<String> skipped =
        post("parked/" + key.parked() + "/skip", "{\"reason\":\"customer refunded by hand\"}");
    assertThat(skipped.statusCode()).isEqualTo(200);
    assertThat(json(skipped).get("released").asInt()).isEqualTo(1);

    await().atMost(CATCH_UP).until(() -> arrivals(topic, "order-s").equals(key.held()));
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT skipped_by, skip_reason FROM outbox WHERE id = ?")) {
      statement.setObject(1, key.parked());
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("admin API from 127.0.0.1");
        assertThat(rs.getString(2)).isEqualTo("customer refunded by hand");
      }
    }
    assertError(
        post("parked/" + key.parked() + "/skip", "{\"reason\":\"again\"}"),
        409,
        "event " + key.parked() + " was skipped already");
  }

  @Test
  void refusedRequestsGetAJsonErrorAndChangeNothing() throws Exception {
    String topic = harness.createTopic("refused", 3);
    HeldKey key = holdKey(topic, "order-r", 1);
    UUID held = key.held().get(0);
    UUID unknown = UUID.randomUUID();

    assertError(
        getResponse("parked?limit=0"), 400, "limit must be an integer from 1 to 1000, not '0'");
    assertError(
        getResponse("parked?limit=x"), 400, "limit must be an integer from 1 to 1000, not 'x'");
    assertError(
        getResponse("parked?after=-1"),
        400,
        "after must be a seq (a non-negative integer), not '-1'");
    assertError(post("parked/not-a-uuid/requeue", ""), 400, "id must be a UUID, not 'not-a-uuid'");
    assertError(post("parked/" + unknown + "/requeue", ""), 404, "no event with id " + unknown);
    assertError(
        post("parked/" + held + "/requeue", ""),
        409,
        "event "
            + held
            + " waits behind parked event "
            + key.parked()
            + " of its key; requeue"
            + " that one");
    assertError(
        post("parked/" + held + "/skip", "{\"reason\":\"x\"}"),
        409,
        "event "
            + held
            + " waits behind parked event "
            + key.parked()
            + " of its key; skip that"
            + " one");
    assertError(
        post("parked/requeue", "{}"),
        400,
        "give either \"all\": true or \"topic\" and \"key\", not both");
    assertError(
        post("parked/requeue", "{\"all\":true,\"topic\":\"" + topic + "\",\"key\":\"order-r\"}"),
        400,
        "give either \"all\": true or \"topic\" and \"key\", not both");
    assertError(
        post("parked/requeue", "{\"topic\":\"" + topic + "\"}"),
        400,
        "a key is requeued by \"topic\" and \"key\", both non-blank");
    assertJsonError(post("parked/requeue", "{\"all\": tru"), 400);
    assertJsonError(post("parked/requeue", "{\"all\": \"yes\"}"), 400);
    assertJsonError(post("parked/requeue", "{\"everything\": true}"), 400);
    assertJsonError(post("parked/requeue", ""), 400);
    assertJsonError(post("parked/requeue", "[]"), 400);
    assertError(
        post("parked/not-a-uuid/skip", "{\"reason\":\"x\"}"),
        400,
        "id must be a UUID, not 'not-a-uuid'");
    assertError(
        post("parked/" + unknown + "/skip", "{\"reason\":\"x\"}"),
        404,
        "no event with id " + unknown);
    assertError(
        post("parked/" + key.parked() + "/skip", ""),
        400,
        "\"reason\" is required: say why the event is given up");
    assertError(
        post("parked/" + key.parked() + "/skip", "{\"reason\":\"  \"}"),
        400,
        "\"reason\" is required: say why the event is given up");
    assertError(
        post("pause", "{\"topic\":\"" + "x".repeat(5000) + "\"}"),
        413,
        "the request body may have at most 4096 bytes");
    assertError(getResponse("no-such-thing"), 404, "HTTP 404 Not Found");
    assertError(
        post("parked/" + key.parked() + "/skip", "{\"reason\":\"" + "x".repeat(501) + "\"}"),
        400,
        "\"reason\" may have at most 500 characters");
    HttpResponse<String> oversize =
        post("parked/" + key.parked() + "/skip", "{\"reason\":\"" + "x".repeat(5000) + "\"}");
    assertError(oversize, 413, "the request body may have at most 4096 bytes");
    assertThat(oversize.headers().firstValue("Connection"))
        .as("the unread rest of the body makes the connection unusable")
        .hasValue("close");
    HttpResponse<String> form =
        send(
            request("parked/requeue")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("all=true"))
                .build());
    assertThat(form.statusCode()).as("a form body").isEqualTo(415);

    JsonNode stillParked = get("parked?topic=" + topic).get("events");
    assertThat(stillParked).hasSize(1);
    assertThat(stillParked.get(0).get("heldEvents").asLong()).isEqualTo(1);
  }

  @Test
  void stateChangesFromAnotherOriginAreRefusedOnTheWholeAdminPort() throws Exception {
    String topic = harness.createTopic("origin", 3);
    HeldKey key = holdKey(topic, "order-o", 1);
    String admin = "http://127.0.0.1:" + harness.relay().getAdminPort();
    String refusal =
        "requests from another origin (http://evil.example) may not change anything here";

    // The attack the issue names: a form on another site posting to the requeue task.
    HttpResponse<String> task =
        send(
            HttpRequest.newBuilder(URI.create(admin + "/tasks/requeue-parked-events"))
                .header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("all=true"))
                .build());
    assertError(task, 403, refusal);
    HttpResponse<String> api =
        send(
            request("parked/" + key.parked() + "/requeue")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertError(api, 403, refusal);
    assertThat(get("parked?topic=" + topic).get("events")).as("nothing requeued").hasSize(1);

    HttpResponse<String> sameOrigin =
        send(
            request("parked/" + key.parked() + "/requeue")
                .header("Origin", admin)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(sameOrigin.statusCode()).as("the status page's own requests").isEqualTo(200);
  }

  /**
   * Writes, as the relay leaves them, a parked event of {@code key} and {@code held} later events
   * of its key held behind it; all valid records, so that a release publishes them.
   */
  private static HeldKey holdKey(String topic, String key, int held) throws Exception {
    UUID parked = UUID.randomUUID();
    List<UUID> heldIds = new ArrayList<>();
    try (Connection connection = harness.postgres().dataSource().getConnection()) {
      connection.setAutoCommit(false);
      long parkedSeq;
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, attempts,"
                  + " last_error, parked_at) VALUES (?, 'order', ?, 'OrderPlaced', ?, '{}', 5,"
                  + " 'refused for the test', now()) RETURNING seq")) {
        insert.setObject(1, parked);
        insert.setString(2, key);
        insert.setString(3, topic);
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          parkedSeq = rs.getLong(1);
        }
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload,"
                  + " parked_at, held_by) VALUES (?, 'order', ?, 'OrderPlaced', ?, '{}', now(), ?)")) {
        for (int i = 0; i < held; i++) {
          UUID id = UUID.randomUUID();
          heldIds.add(id);
          insert.setObject(1, id);
          insert.setString(2, key);
          insert.setString(3, topic);
          insert.setLong(4, parkedSeq);
          insert.executeUpdate();
        }
      }
      connection.commit();
    }
    return new HeldKey(topic, key, parked, heldIds);
  }

  private static List<UUID> arrivals(String topic, String key) {
    return idsByKey(consumeAll(harness.bootstrapServers(), topic)).getOrDefault(key, List.of());
  }

  private static void assertError(HttpResponse<String> response, int status, String message)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode body = json(response);
    assertThat(body.get("code").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).isEqualTo(message);
    assertThat(response.body()).doesNotContain("\tat ", "Exception");
  }

  /** A refusal with Dropwizard's JSON error, whatever words it chose. */
  private static void assertJsonError(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(json(response).get("code").asInt()).isEqualTo(status);
    assertThat(json(response).get("message").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("\tat ", "Exception");
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = getResponse(path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return json(response);
  }

  private static HttpResponse<String> getResponse(String path) throws Exception {
    return send(request(path).GET().build());
  }

  private static HttpResponse<String> post(String path, String jsonBody) throws Exception {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
            .build());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + harness.relay().getAdminPort() + "/api/" + path));
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return harness.relay().getObjectMapper().readTree(response.body());
  }
}
