package io.github.outboxrelay.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Each poison event (a topic that does not exist) must end parked with its reason, be listed by the
 * relay's {@code parked-events} admin task, and not have held up the other keys: events written
 * after it were published before it was parked.
 */
record PoisonChecks(List<Poison> poisons, String taskError) {

  record Poison(
      String id,
      String aggregateId,
      boolean parked,
      String lastError,
      long parkedAtMillis,
      boolean listedByTask,
      long laterEventsPublishedBeforeParking) {

    boolean ok() {
      return parked && lastError != null && listedByTask && laterEventsPublishedBeforeParking > 0;
    }
  }

  static PoisonChecks read(Connection connection, String poisonTopic, int relayAdminPort)
      throws SQLException {
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
                + " (SELECT count(*) FROM outbox o WHERE o.seq > p.seq AND o.topic <> p.topic"
                + "  AND o.published_at < p.parked_at)"
                + " FROM outbox p WHERE p.topic = ? ORDER BY p.seq")) {
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
                  rs.getLong(6)));
        }
      }
    }
    return new PoisonChecks(List.copyOf(poisons), taskError);
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
