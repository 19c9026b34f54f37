package io.github.outboxrelay.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.faults.check.CommittedEvent;
import io.github.outboxrelay.faults.check.DeliveredRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each poison event (a topic that does not exist) must end parked with its reason, be listed by the
 * relay's {@code parked-events} admin task, and not have held up the other keys: events written
 * after it were sent to Kafka (by their records' timestamps) before it was parked.
 */
record PoisonChecks(List<Poison> poisons, String taskError) {

  record Poison(
      String id,
      String aggregateId,
      boolean parked,
      String lastError,
      long parkedAtMillis,
      boolean listedByTask,
      long laterEventsSentBeforeParking) {

    boolean ok() {
      return parked && lastError != null && listedByTask && laterEventsSentBeforeParking > 0;
    }
  }

  static PoisonChecks read(
      Connection connection,
      String poisonTopic,
      int relayAdminPort,
      List<CommittedEvent> committed,
      List<DeliveredRecord> records)
      throws SQLException {
    Map<String, Long> seqById = new HashMap<>();
    committed.forEach(event -> seqById.put(event.id(), event.seq()));
    Set<String> listed = new HashSet<>();
    String taskError = null;
    try {
      listed.addAll(listedByTask(relayAdminPort));
    } catch (Exception e) {
      taskError = e.toString();
    }
    List<Poison> poisons = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT p.id, p.aggregateid, p.parked_at IS NOT NULL, p.last_error, p.parked_at,"
                + " p.seq FROM outbox p WHERE p.topic = ? ORDER BY p.seq")) {
      statement.setString(1, poisonTopic);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          poisons.add(
              new Poison(
                  id,
                  rs.getString(2),
                  rs.getBoolean(3),
                  rs.getString(4),
                  rs.getTimestamp(5) == null ? 0 : rs.getTimestamp(5).getTime(),
                  listed.contains(id),
                  sentBefore(records, seqById, rs.getLong(6), rs.getTimestamp(5))));
        }
      }
    }
    return new PoisonChecks(List.copyOf(poisons), taskError);
  }

  /** Records of events written after row {@code seq} and sent before {@code parkedAt}. */
  private static long sentBefore(
      List<DeliveredRecord> records, Map<String, Long> seqById, long seq, Timestamp parkedAt) {
    if (parkedAt == null) {
      return 0;
    }
    return records.stream()
        .filter(r -> r.timestampMillis() < parkedAt.getTime())
        .filter(r -> seqById.getOrDefault(r.id(), Long.MIN_VALUE) > seq)
        .count();
  }

  boolean ok() {
    return taskError == null && poisons.stream().allMatch(Poison::ok);
  }

  /** {@code POST /tasks/parked-events}: one JSON object per line, each with the event's id. */
  private static Set<String> listedByTask(int adminPort) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + adminPort + "/tasks/parked-events?limit=1000"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "parked-events answered " + response.statusCode() + ": " + response.body());
    }
    ObjectMapper json = new ObjectMapper();
    Set<String> ids = new HashSet<>();
    for (String line : response.body().split("\n")) {
      if (!line.isBlank()) {
        ids.add(json.readTree(line).path("id").asText());
      }
    }
    return ids;
  }
}
