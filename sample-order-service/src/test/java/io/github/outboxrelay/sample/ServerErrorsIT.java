package io.github.outboxrelay.sample;

import static io.github.outboxrelay.sample.HttpApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors that Jetty or Jersey answer before the API's code runs still come as the API's JSON error,
 * never as an HTML page or a stack trace. Raw sockets, because an HTTP client refuses to send most
 * of these requests.
 */
class ServerErrorsIT {

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension();

  @Order(2)
  @RegisterExtension
  static final DropwizardAppExtension<OrderServiceConfiguration> app =
      HttpApi.orderService(postgres);

  /** A raw response: status, the Content-Type header, the body. */
  private record Raw(int status, String contentType, String body) {}

  @Test
  void aRequestLineOverTheLimitIsUriTooLong() throws Exception {
    Raw response = send("GET /orders/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertJsonError(response, 414);
  }

  @Test
  void headersOverTheLimitAreTooLarge() throws Exception {
    Raw response =
        send("GET /orders HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");

    assertJsonError(response, 431);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "header without a colon   | GET /orders HTTP/1.1\\r\\nHost: x\\r\\nno colon here\\r\\n\\r\\n",
        "control character        | GET /orders HTTP/1.1\\r\\nHost: x\\r\\nX-A: a\\u0001b\\r\\n\\r\\n",
        "bad percent-encoding     | GET /orders/%zz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
        "no host                  | GET /orders HTTP/1.1\\r\\n\\r\\n",
      })
  void aMalformedRequestIsABadRequest(String description, String request) throws Exception {
    Raw response = send(unescape(request));

    assertJsonError(response, 400);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /no-such-thing, 404",
    "GET, /orders, 405",
    "DELETE, /orders, 405",
    "TRACE, /orders, 405",
  })
  void unknownPathsAndMethodsAreRefusedAsJson(String method, String path, int status)
      throws Exception {
    Raw response = send(method + " " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertJsonError(response, status);
  }

  @Test
  void theAdminPortAnswersUnknownPathsAsJsonToo() throws Exception {
    Raw response = send(app.getAdminPort(), "GET /no-such-thing HTTP/1.1\r\nHost: x\r\n\r\n");

    assertJsonError(response, 404);
  }

  @Test
  void anUnacceptableResponseTypeIsRefusedAsJson() throws Exception {
    Raw response =
        send(
            "GET /orders/"
                + java.util.UUID.randomUUID()
                + " HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n");

    assertJsonError(response, 406);
  }

  @Test
  void anUnexpectedFailureIsA500InTheSameShapeWithoutItsCause() throws Exception {
    postgres.execute("ALTER TABLE products RENAME TO products_away");
    try {
      HttpResponse<String> response =
          new HttpApi(app)
              .post("/orders", "{\"customerId\":\"a\",\"productId\":\"widget\",\"quantity\":1}");

      assertError(response, 500, "It has been logged (ID ");
      assertThat(response.body()).doesNotContain("products", "SQL");
    } finally {
      postgres.execute("ALTER TABLE products_away RENAME TO products");
    }
  }

  private static void assertJsonError(Raw response, int status) throws Exception {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertError(status, response.contentType(), response.body(), "");
  }

  private static String unescape(String csv) {
    return csv.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001");
  }

  private static Raw send(String request) throws Exception {
    return send(app.getLocalPort(), request);
  }

  private static Raw send(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          request
              .replaceFirst("\r\n", "\r\nConnection: close\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return parse(readAll(socket.getInputStream()));
    }
  }

  private static String readAll(InputStream in) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      in.transferTo(bytes);
    } catch (java.net.SocketException e) {
      // The server may reset after answering a request it will not read to the end.
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static Raw parse(String response) {
    int end = response.indexOf("\r\n\r\n");
    assertThat(end).as(response).isPositive();
    String head = response.substring(0, end);
    String body = response.substring(end + 4);
    int status = Integer.parseInt(head.substring(9, 12));
    String contentType = "";
    boolean chunked = false;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        contentType = line.substring("content-type:".length()).trim();
      }
      chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
    }
    return new Raw(status, contentType, chunked ? dechunk(body) : body);
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = body.indexOf("\r\n", at);
      int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
