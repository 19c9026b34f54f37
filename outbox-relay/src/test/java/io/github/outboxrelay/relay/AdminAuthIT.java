package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With admin credentials set, the whole admin port answers 401 to requests without them and they
 * change nothing: the API, the tasks, and Dropwizard's own servlets. Reads of the open paths
 * (health checks) need none. What a change records names the authenticated user.
 */
class AdminAuthIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String USER = "ops";
  private static final String PASSWORD = "correct horse";

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(
          ConfigOverride.config("admin.user", USER),
          ConfigOverride.config("admin.password", PASSWORD));

  @Test
  void requestsWithoutValidCredentialsGet401AndChangeNothing() throws Exception {
    UUID parked = parkedRow();
    String unauthorized =
        "credentials required: HTTP basic, the user and password of admin.user and admin.password";
    for (String credentials : new String[] {null, USER + ":wrong", "admin:" + PASSWORD}) {
      for (HttpRequest.Builder request :
          new HttpRequest.Builder[] {
            request("/api/state").GET(),
            request("/api/parked/" + parked + "/skip")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"r\"}")),
            request("/tasks/requeue-parked-events?all=true")
                .POST(HttpRequest.BodyPublishers.noBody()),
            request("/tasks/log-level?logger=ROOT&level=OFF")
                .POST(HttpRequest.BodyPublishers.noBody()),
            request("/threads").GET(),
            request("/metrics").GET()
          }) {
        if (credentials != null) {
          request.header("Authorization", basic(credentials));
        }
        HttpResponse<String> response = send(request.build());
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(value -> assertThat(value).startsWith("Basic realm="));
        assertThat(
                harness.relay().getObjectMapper().readTree(response.body()).get("message").asText())
            .isEqualTo(unauthorized);
      }
    }
    assertThat(skippedBy(parked)).as("still parked, not skipped").isNull();

    assertThat(send(request("/healthcheck").GET().build()).statusCode())
        .as("left open for probes")
        .isNotEqualTo(401);
    assertThat(
            send(request("/threads")
                    .header("Authorization", basic(USER + ":" + PASSWORD))
                    .GET()
                    .build())
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> skipped =
        send(
            request("/api/parked/" + parked + "/skip")
                .header("Authorization", basic(USER + ":" + PASSWORD))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"given up in a test\"}"))
                .build());
    assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(200);
    assertThat(skippedBy(parked)).isEqualTo(USER);
  }

  private static UUID parkedRow() throws Exception {
    return RelayTestSupport.parkedRow(harness.postgres(), "never-created", "order-auth", "refused");
  }

  private static String skippedBy(UUID id) throws Exception {
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT skipped_by FROM outbox WHERE id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + harness.relay().getAdminPort() + path));
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
