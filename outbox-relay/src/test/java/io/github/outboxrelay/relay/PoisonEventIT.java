package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.meter;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.writer.OutboxEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An event Kafka refuses for good (larger than its topic allows) is retried {@code maxAttempts}
 * times and parked, while the events around it flow; an operator finds it with the admin task and
 * requeues it once the topic accepts it.
 */
class PoisonEventIT {

  private static final int MAX_ATTEMPTS = 3;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(
          ConfigOverride.config("outbox.maxAttempts", String.valueOf(MAX_ATTEMPTS)));

  @Test
  void aRefusedEventIsParkedWhileOthersFlowAndIsDeliveredWhenRequeuedAfterTheFix()
      throws Exception {
    String small =
        FaultTestSupport.createTopic(
            harness.admin(), "small", 3, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048"));
    String other = harness.createTopic("other", 3);
    byte[] tooLarge = new byte[10 * 1024];
    new Random(42).nextBytes(tooLarge); // incompressible, so lz4 cannot shrink it under the limit
    OutboxEvent poison =
        OutboxEvent.builder()
            .aggregateType("order")
            .aggregateId("order-poison")
            .eventType("OrderPlaced")
            .topic(small)
            .payload(tooLarge)
            .build();
    List<OutboxEvent> before = around(small, other);
    List<OutboxEvent> after = around(small, other);
    // One transaction: the poison is claimed, and batched by the producer, with healthy events.
    List<OutboxEvent> written = new ArrayList<>(before);
    written.add(poison);
    written.addAll(after);
    RelayTestSupport.commit(harness.postgres(), written);

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    assertThat(new HashSet<>(eventIds(consumeAll(harness.bootstrapServers(), small))))
        .isEqualTo(idsOn(small, before, after));
    assertThat(new HashSet<>(eventIds(consumeAll(harness.bootstrapServers(), other))))
        .isEqualTo(idsOn(other, before, after));
    DeliveryState parked = deliveryState(poison.id());
    assertThat(parked.parked()).isTrue();
    assertThat(parked.attempts()).isEqualTo(MAX_ATTEMPTS);
    assertThat(parked.lastError()).contains("RecordTooLargeException");
    assertThat(meter(harness.relay(), "outbox.relay.failures.permanent")).isEqualTo(MAX_ATTEMPTS);
    assertThat(meter(harness.relay(), "outbox.relay.parked")).isEqualTo(1);
    await().atMost(CATCH_UP).until(() -> parkedGauge() == 1);

    List<JsonNode> listed = parkedEvents();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("id").asText()).isEqualTo(poison.id().toString());
    assertThat(listed.get(0).get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
    assertThat(listed.get(0).get("lastError").asText()).contains("RecordTooLargeException");

    raiseMaxMessageBytes(small);
    assertThat(adminTask("requeue-parked-events?id=" + poison.id())).contains("requeued 1");

    await().atMost(CATCH_UP).until(() -> deliveryState(poison.id()).published());
    DeliveryState delivered = deliveryState(poison.id());
    assertThat(delivered.parked()).isFalse();
    assertThat(delivered.attempts()).isZero();
    assertThat(eventIds(consumeAll(harness.bootstrapServers(), small))).contains(poison.id());
    await().atMost(CATCH_UP).until(() -> parkedGauge() == 0);
    assertThat(parkedEvents()).isEmpty();
  }

  /** A row written around the writer, and the reason the relay must give when it parks it. */
  private record HandWrittenRow(
      String topic,
      String aggregateId,
      String type,
      String payload,
      String headers,
      String reason) {}

  @Test
  void rowsThatCannotBecomeRecordsAreParkedAtOnceAndEveryOtherRowIsPublishedOnce()
      throws Exception {
    String topic = harness.createTopic("hand", 3);
    // As in a table made without the shipped NOT NULL constraints (the relay tolerates that).
    harness
        .postgres()
        .execute(
            "ALTER TABLE outbox ALTER COLUMN topic DROP NOT NULL",
            "ALTER TABLE outbox ALTER COLUMN aggregateid DROP NOT NULL",
            "ALTER TABLE outbox ALTER COLUMN type DROP NOT NULL",
            "ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL");
    List<HandWrittenRow> malformed =
        List.of(
            new HandWrittenRow(topic, "k1", "T", "{}", "{\"k\": null}", "header 'k' is null"),
            new HandWrittenRow(topic, "k2", "T", "{}", "{\"k\": 1}", "header 'k' is number"),
            new HandWrittenRow(
                topic, "k3", "T", "{}", "{\"k\": {\"a\": \"b\"}}", "header 'k' is object"),
            new HandWrittenRow(topic, "k4", "T", "{}", "{\"id\": \"forged\"}", "would forge"),
            new HandWrittenRow("", "k5", "T", "{}", null, "not a legal Kafka topic name"),
            new HandWrittenRow("bad topic!", "k6", "T", "{}", null, "not a legal Kafka topic"),
            new HandWrittenRow(null, "k7", "T", "{}", null, "topic is NULL"),
            new HandWrittenRow(topic, null, "T", "{}", null, "aggregateid is NULL"),
            new HandWrittenRow(topic, "k9", null, "{}", null, "type is NULL"),
            new HandWrittenRow(topic, "k10", "T", null, null, "payload is NULL"));
    List<OutboxEvent> before = RelayTestSupport.events(topic, 20, 5);
    List<OutboxEvent> after = RelayTestSupport.events(topic, 20, 5);
    List<UUID> malformedIds = new ArrayList<>();
    // One transaction, so the malformed rows sit in one claimed batch between healthy ones.
    try (Connection connection = harness.postgres().dataSource().getConnection()) {
      connection.setAutoCommit(false);
      RelayTestSupport.WRITER.writeAll(connection, before);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers)"
                  + " VALUES (?, 'order', ?, ?, ?, convert_to(?, 'UTF8'), ?::jsonb)")) {
        for (HandWrittenRow row : malformed) {
          UUID id = UUID.randomUUID();
          malformedIds.add(id);
          insert.setObject(1, id);
          insert.setString(2, row.aggregateId());
          insert.setString(3, row.type());
          insert.setString(4, row.topic());
          insert.setString(5, row.payload());
          insert.setString(6, row.headers());
          insert.executeUpdate();
        }
      }
      RelayTestSupport.WRITER.writeAll(connection, after);
      connection.commit();
    }

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    for (int i = 0; i < malformed.size(); i++) {
      DeliveryState state = deliveryState(malformedIds.get(i));
      assertThat(state.parked()).as(malformed.get(i).reason()).isTrue();
      assertThat(state.attempts()).as(malformed.get(i).reason()).isEqualTo(1);
      assertThat(state.lastError()).contains(malformed.get(i).reason());
    }
    List<UUID> delivered = eventIds(consumeAll(harness.bootstrapServers(), topic));
    Set<UUID> expected = RelayTestSupport.ids(before);
    expected.addAll(RelayTestSupport.ids(after));
    assertThat(new HashSet<>(delivered)).isEqualTo(expected);
    assertThat(FaultTestSupport.duplicates(delivered)).as("sent twice").isEmpty();
  }

  @Test
  void tasksRefuseAmbiguousOrMalformedRequestsWith400AndChangeNothing() throws Exception {
    UUID parked = UUID.randomUUID(); // a parked row of its own, removed again at the end
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload,"
                    + " attempts, last_error, parked_at) VALUES (?, 'order', 'order-1',"
                    + " 'OrderPlaced', 'never-created', '{}', 3, 'refused', now())")) {
      insert.setObject(1, parked);
      insert.executeUpdate();
    }
    try {
      for (String query : List.of("", "?all=true&id=" + parked, "?all=false")) {
        HttpResponse<String> response = post("requeue-parked-events" + query);
        assertThat(response.statusCode()).as(query).isEqualTo(400);
        assertThat(jsonError(response))
            .as(query)
            .isEqualTo("give exactly one of id=<event id> or all=true");
      }
      HttpResponse<String> malformed = post("requeue-parked-events?id=not-a-uuid");
      assertThat(malformed.statusCode()).isEqualTo(400);
      assertThat(jsonError(malformed)).isEqualTo("id must be a UUID, not 'not-a-uuid'");
      HttpResponse<String> twice = post("requeue-parked-events?id=" + parked + "&id=" + parked);
      assertThat(twice.statusCode()).isEqualTo(400);
      assertThat(jsonError(twice)).isEqualTo("id may be given once");
      HttpResponse<String> badLimit = post("parked-events?limit=-1");
      assertThat(badLimit.statusCode()).isEqualTo(400);
      assertThat(jsonError(badLimit)).isEqualTo("limit must be a positive integer, not '-1'");

      assertThat(deliveryState(parked).parked()).isTrue();
      assertThat(deliveryState(parked).attempts()).isEqualTo(3);
    } finally {
      try (Connection connection = harness.postgres().dataSource().getConnection();
          PreparedStatement delete =
              connection.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
        delete.setObject(1, parked);
        delete.executeUpdate();
      }
    }
  }

  /** Small events on both topics, for several keys but not the poison's. */
  private static List<OutboxEvent> around(String small, String other) {
    List<OutboxEvent> events = new ArrayList<>();
    events.addAll(RelayTestSupport.events(small, 10, 5));
    events.addAll(RelayTestSupport.events(other, 10, 5));
    return events;
  }

  private static Set<UUID> idsOn(String topic, List<OutboxEvent> before, List<OutboxEvent> after) {
    Set<UUID> ids = new HashSet<>();
    for (List<OutboxEvent> events : List.of(before, after)) {
      events.stream().filter(e -> e.topic().equals(topic)).forEach(e -> ids.add(e.id()));
    }
    return ids;
  }

  private record DeliveryState(boolean parked, boolean published, int attempts, String lastError) {}

  private static DeliveryState deliveryState(UUID id) throws Exception {
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                // Published: neither parked nor waiting, whatever outbox.published writes.
                "SELECT x.parked_at IS NOT NULL, x.parked_at IS NULL AND NOT EXISTS"
                    + " (SELECT 1 FROM outbox_pending p WHERE p.seq = x.seq), x.attempts,"
                    + " x.last_error FROM outbox x WHERE x.id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).as("row of event %s", id).isTrue();
        return new DeliveryState(rs.getBoolean(1), rs.getBoolean(2), rs.getInt(3), rs.getString(4));
      }
    }
  }

  /** The message of a JSON error body; fails unless the body is exactly such an error. */
  private static String jsonError(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode body = harness.relay().getObjectMapper().readTree(response.body());
    assertThat(body.get("code").asInt()).isEqualTo(response.statusCode());
    assertThat(response.body()).doesNotContain("\tat ", "Exception");
    return body.get("message").asText();
  }

  private static long parkedGauge() {
    return ((Number)
            harness.relay().getEnvironment().metrics().getGauges().get("outbox.parked").getValue())
        .longValue();
  }

  private static List<JsonNode> parkedEvents() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : adminTask("parked-events").split("\n")) {
      if (!line.isBlank()) {
        events.add(harness.relay().getObjectMapper().readTree(line));
      }
    }
    return events;
  }

  private static String adminTask(String pathAndQuery) throws Exception {
    HttpResponse<String> response = post(pathAndQuery);
    assertThat(response.statusCode()).as("POST /tasks/%s", pathAndQuery).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> post(String taskAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + harness.relay().getAdminPort()
                        + "/tasks/"
                        + taskAndQuery))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The operator's fix: let the topic take the event, and wait until the broker applies it. */
  private static void raiseMaxMessageBytes(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    harness
        .admin()
        .incrementalAlterConfigs(
            Map.of(
                resource,
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048576"),
                        AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);
    await()
        .atMost(CATCH_UP)
        .until(
            () ->
                harness
                    .admin()
                    .describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                    .value()
                    .equals("1048576"));
  }
}
