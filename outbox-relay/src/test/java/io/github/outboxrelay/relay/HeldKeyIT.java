package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.idsByKey;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.writer.OutboxEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A parked event holds its key: the later events of its aggregate, in its batch, in batches after
 * it and written after it was parked, wait behind it, while every other key flows. Requeued after
 * the fix, it goes first and the held events follow in write order; skipped on purpose, the held
 * events go on without it and the skip is recorded.
 */
class HeldKeyIT {

  private static final int MAX_ATTEMPTS = 2;

  /** Records the producer refuses at once, on the relay's own thread: a deterministic poison. */
  private static final int MAX_REQUEST_BYTES = 8192;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(
          ConfigOverride.config("outbox.maxAttempts", String.valueOf(MAX_ATTEMPTS)),
          ConfigOverride.config(
              "kafka.producer.max\\.request\\.size", String.valueOf(MAX_REQUEST_BYTES)));

  @Test
  void laterEventsOfAParkedEventsKeyWaitAndFollowItInOrderOnceItIsRequeued() throws Exception {
    String key = "order-held";
    Parked parked = parkAPoisonAmongOthers("held", key, 40);
    String topic = parked.topic();
    OutboxEvent poison = parked.poison();
    List<OutboxEvent> heldInBatch = parked.heldInBatch();
    List<OutboxEvent> others = parked.others();
    OutboxEvent writtenWhileHeld = small(topic, key, 3);
    List<OutboxEvent> moreOthers = RelayTestSupport.events(topic, 10, 5);
    List<OutboxEvent> second = new ArrayList<>(moreOthers);
    second.add(5, writtenWhileHeld);
    RelayTestSupport.commit(harness.postgres(), second);
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    List<OutboxEvent> held = new ArrayList<>(heldInBatch);
    held.add(writtenWhileHeld);
    assertThat(heldBehind(poison.id())).containsExactlyElementsOf(ids(held));
    List<ConsumerRecord<byte[], byte[]>> whileHeld = consumeAll(harness.bootstrapServers(), topic);
    assertThat(idsByKey(whileHeld)).doesNotContainKey(key);
    List<OutboxEvent> flowing = new ArrayList<>(others);
    flowing.addAll(moreOthers);
    FaultTestSupport.assertEveryEventArrivedInKeyOrder(whileHeld, flowing);
    await().atMost(CATCH_UP).until(() -> gauge("outbox.parked") == 1 && gauge("outbox.held") == 3);

    repairPayload(poison.id()); // the operator's fix: a payload the producer takes
    assertThat(adminTask("requeue-parked-events?id=" + poison.id()))
        .contains("requeued 1, released 3");

    List<UUID> expected = new ArrayList<>(List.of(poison.id()));
    expected.addAll(ids(held));
    await().atMost(CATCH_UP).until(() -> keyArrivals(topic, key).size() >= expected.size());
    List<UUID> arrivals = keyArrivals(topic, key);
    assertThat(new ArrayList<>(new LinkedHashSet<>(arrivals)))
        .as("first copies of the key's events, in write order")
        .isEqualTo(expected);
    await().atMost(CATCH_UP).until(() -> gauge("outbox.parked") == 0 && gauge("outbox.held") == 0);
  }

  @Test
  void skippingAParkedEventReleasesItsKeyWithoutItAndRecordsWhoAndWhy() throws Exception {
    String key = "order-skipped";
    Parked parked = parkAPoisonAmongOthers("skipped", key, 20);
    String topic = parked.topic();
    OutboxEvent poison = parked.poison();
    List<OutboxEvent> heldInBatch = parked.heldInBatch();
    assertThat(heldBehind(poison.id())).containsExactlyElementsOf(ids(heldInBatch));
    assertThat(idsByKey(consumeAll(harness.bootstrapServers(), topic))).doesNotContainKey(key);

    ParkedEvents.Released released;
    try (Connection connection = harness.postgres().dataSource().getConnection()) {
      connection.setAutoCommit(false);
      released =
          new ParkedEvents("outbox")
              .skipParked(connection, poison.id(), "operator-1", "refund issued by hand");
      connection.commit();
    }
    assertThat(released).isEqualTo(new ParkedEvents.Released(1, 2));

    await().atMost(CATCH_UP).until(() -> keyArrivals(topic, key).size() >= 2);
    assertThat(new ArrayList<>(new LinkedHashSet<>(keyArrivals(topic, key))))
        .isEqualTo(ids(heldInBatch));
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT skipped_at IS NOT NULL, skipped_by, skip_reason, parked_at IS NOT NULL"
                    + " FROM outbox WHERE id = ?")) {
      statement.setObject(1, poison.id());
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).as("skipped_at").isTrue();
        assertThat(rs.getString(2)).isEqualTo("operator-1");
        assertThat(rs.getString(3)).isEqualTo("refund issued by hand");
        assertThat(rs.getBoolean(4)).as("stays parked, never published").isTrue();
      }
    }
    assertThat(adminTask("parked-events")).doesNotContain(poison.id().toString());
  }

  private record Parked(
      String topic, OutboxEvent poison, List<OutboxEvent> heldInBatch, List<OutboxEvent> others) {}

  /**
   * Commits, in one transaction (so that they share a claimed batch), events of other keys, the
   * poison of {@code key}, two later events of its key and more of the others; waits until the
   * poison is parked and nothing else waits.
   */
  private static Parked parkAPoisonAmongOthers(String topicPrefix, String key, int others)
      throws Exception {
    String topic = harness.createTopic(topicPrefix, 3);
    OutboxEvent poison = tooLarge(topic, key);
    List<OutboxEvent> heldInBatch = List.of(small(topic, key, 1), small(topic, key, 2));
    List<OutboxEvent> otherKeys = RelayTestSupport.events(topic, others, 5);
    List<OutboxEvent> written = new ArrayList<>(otherKeys.subList(0, others / 2));
    written.add(poison);
    written.addAll(heldInBatch);
    written.addAll(otherKeys.subList(others / 2, others));
    RelayTestSupport.commit(harness.postgres(), written);
    await().atMost(CATCH_UP).until(() -> parked(poison.id()) && pending(harness.postgres()) == 0);
    return new Parked(topic, poison, heldInBatch, otherKeys);
  }

  private static OutboxEvent tooLarge(String topic, String key) {
    byte[] payload = new byte[4 * MAX_REQUEST_BYTES];
    new Random(7).nextBytes(payload);
    return OutboxEvent.builder()
        .aggregateType("order")
        .aggregateId(key)
        .eventType("OrderPlaced")
        .topic(topic)
        .payload(payload)
        .build();
  }

  private static OutboxEvent small(String topic, String key, int n) {
    return RelayTestSupport.event(topic, key, "{\"n\":" + n + "}");
  }

  private static List<UUID> ids(List<OutboxEvent> events) {
    return events.stream().map(OutboxEvent::id).toList();
  }

  private static List<UUID> keyArrivals(String topic, String key) {
    return idsByKey(consumeAll(harness.bootstrapServers(), topic)).getOrDefault(key, List.of());
  }

  private static boolean parked(UUID id) throws Exception {
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT parked_at IS NOT NULL AND held_by IS NULL FROM outbox WHERE id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** The events held behind the parked event {@code id}, in write order. */
  private static List<UUID> heldBehind(UUID id) throws Exception {
    List<UUID> held = new ArrayList<>();
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT h.id FROM outbox h JOIN outbox p ON h.held_by = p.seq"
                    + " WHERE p.id = ? AND h.parked_at IS NOT NULL ORDER BY h.seq")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return held;
  }

  private static void repairPayload(UUID id) throws Exception {
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("UPDATE outbox SET payload = ? WHERE id = ?")) {
      statement.setBytes(1, "{\"repaired\":true}".getBytes(StandardCharsets.UTF_8));
      statement.setObject(2, id);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  private static long gauge(String name) {
    Map<String, com.codahale.metrics.Gauge> gauges =
        harness.relay().getEnvironment().metrics().getGauges();
    return ((Number) gauges.get(name).getValue()).longValue();
  }

  private static String adminTask(String pathAndQuery) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + harness.relay().getAdminPort()
                            + "/tasks/"
                            + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST /tasks/%s", pathAndQuery).isEqualTo(200);
    return response.body();
  }
}
