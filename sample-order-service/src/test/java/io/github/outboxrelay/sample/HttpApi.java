package io.github.outboxrelay.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/** Plain HTTP against a running order service, and what every error response must look like. */
final class HttpApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final IntSupplier port;

  /** The service as the tests run it, on the schema of {@code postgres}. */
  static DropwizardAppExtension<OrderServiceConfiguration> orderService(
      PostgresExtension postgres) {
    return new DropwizardAppExtension<>(
        OrderServiceApplication.class,
        ResourceHelpers.resourceFilePath("order-service-test.yml"),
        ConfigOverride.config("database.url", postgres::jdbcUrl));
  }

  HttpApi(DropwizardAppExtension<?> app) {
    this(app::getLocalPort);
  }

  /** The service listening on {@code port}, once it is started. */
  HttpApi(IntSupplier port) {
    this.port = port;
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Sends without waiting for the answer, for a request the test interferes with. */
  CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
    return HTTP.sendAsync(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  /** {@code {"code", "message", "details"}}, the status as code, the message containing text. */
  static void assertError(int status, String contentType, String body, String message)
      throws Exception {
    assertThat(contentType).as(body).startsWith("application/json");
    JsonNode error = json(body);
    assertThat(error.path("code").asInt()).as(body).isEqualTo(status);
    assertThat(error.path("message").asText()).as(body).contains(message);
    assertThat(error.path("details").isArray()).as(body).isTrue();
    assertThat(body).doesNotContain("<html", "Exception", "\tat ");
  }

  static void assertError(HttpResponse<String> response, int status, String message)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertError(
        status, response.headers().firstValue("Content-Type").orElse(""), response.body(), message);
  }
}
