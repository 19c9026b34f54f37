package io.github.outboxrelay.sample;

import static io.github.outboxrelay.sample.HttpApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 16 KiB limit applies to the bytes the service reads, whatever the request declares: chunked
 * bodies have no length, and gzip bodies are inflated by Jetty to many times their size.
 */
class BodySizeIT {

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension();

  @Order(2)
  @RegisterExtension
  static final DropwizardAppExtension<OrderServiceConfiguration> app =
      HttpApi.orderService(postgres);

  private static final HttpApi api = new HttpApi(app);

  /** Valid JSON, 20 000 bytes of it in a field that the limit must stop before it is parsed. */
  private static final String OVERSIZE =
      "{\"customerId\":\"" + "a".repeat(20_000) + "\",\"productId\":\"widget\",\"quantity\":1}";

  @BeforeEach
  void stockTheShop() throws SQLException {
    postgres.execute(
        "TRUNCATE idempotency_keys, orders, outbox, products CASCADE",
        "INSERT INTO products (id, name, stock) VALUES ('widget', 'Widget', 10)");
  }

  @Test
  void aChunkedBodyOverTheLimitIsTooLarge() throws Exception {
    HttpResponse<String> response =
        api.send(
            api.request("/orders")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new ByteArrayInputStream(OVERSIZE.getBytes(StandardCharsets.UTF_8)))));

    assertError(response, 413, "request body is larger than 16384 bytes");
    assertThat(response.headers().firstValue("Connection"))
        .as("the unread rest of the body makes the connection unusable")
        .hasValue("close");
    assertNothingWritten();
  }

  @Test
  void aGzipBodyThatInflatesOverTheLimitIsTooLarge() throws Exception {
    byte[] compressed = gzip(OVERSIZE);
    assertThat(compressed.length).as("small on the wire").isLessThan(1024);

    HttpResponse<String> response = postGzip(compressed);

    assertError(response, 413, "request body is larger than 16384 bytes");
    assertNothingWritten();
  }

  @Test
  void aGzipBodyUnderTheLimitIsAccepted() throws Exception {
    HttpResponse<String> response =
        postGzip(gzip("{\"customerId\":\"alice\",\"productId\":\"widget\",\"quantity\":2}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(postgres.queryForLong("SELECT count(*) FROM orders")).isEqualTo(1);
  }

  @Test
  void aBodyThatIsNotTheGzipItClaimsIsABadRequest() throws Exception {
    HttpResponse<String> response =
        postGzip("{\"customerId\":\"alice\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(HttpApi.json(response.body()).get("code").asInt()).isEqualTo(400);
    assertNothingWritten();
  }

  private static HttpResponse<String> postGzip(byte[] body) throws Exception {
    return api.send(
        api.request("/orders")
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static void assertNothingWritten() throws SQLException {
    assertThat(postgres.queryForLong("SELECT count(*) FROM orders")).isZero();
    assertThat(postgres.queryForLong("SELECT count(*) FROM outbox")).isZero();
  }
}
