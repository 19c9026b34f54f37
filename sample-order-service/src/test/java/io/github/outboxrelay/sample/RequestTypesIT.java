package io.github.outboxrelay.sample;

import static io.github.outboxrelay.sample.HttpApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field of every request, given every JSON type it is not: refused with 400 naming the field
 * (422 for null), and nothing written. Jackson would otherwise read "2" as 2 and 123 as "123".
 */
class RequestTypesIT {

  @Order(1)
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension();

  @Order(2)
  @RegisterExtension
  static final DropwizardAppExtension<OrderServiceConfiguration> app =
      HttpApi.orderService(postgres);

  private static final HttpApi api = new HttpApi(app);

  private static final Map<String, String> PLACE =
      Map.of("customerId", "\"alice\"", "productId", "\"widget\"", "quantity", "2");
  private static final List<String> NOT_TEXT =
      List.of("123", "-1", "1.5", "1e3", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":\"b\"}");
  private static final List<String> NOT_WHOLE_NUMBER =
      List.of(
          "\"2\"",
          "\"\"",
          "\" 2 \"",
          "\"0x2\"",
          "2.5",
          "2.0",
          "2e0",
          "true",
          "false",
          "[]",
          "[2]",
          "{}",
          "{\"value\":2}",
          "99999999999",
          "-99999999999",
          "1e400");

  private String orderId;

  @BeforeEach
  void oneOrderToCancel() throws Exception {
    postgres.execute(
        "TRUNCATE idempotency_keys, orders, outbox, products CASCADE",
        "INSERT INTO products (id, name, stock) VALUES ('widget', 'Widget', 10)");
    HttpResponse<String> placed = api.post("/orders", body(PLACE));
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    orderId = HttpApi.json(placed.body()).get("id").asText();
  }

  static Stream<Arguments> wrongTypes() {
    Stream<Arguments> place =
        Stream.of("customerId", "productId")
            .flatMap(field -> NOT_TEXT.stream().map(value -> Arguments.of(field, value)));
    Stream<Arguments> numbers =
        Stream.of("quantity", "version")
            .flatMap(field -> NOT_WHOLE_NUMBER.stream().map(value -> Arguments.of(field, value)));
    return Stream.concat(place, numbers);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("wrongTypes")
  void aWrongJsonTypeIsRefusedNamingTheField(String field, String value) throws Exception {
    HttpResponse<String> response = send(field, value);

    assertError(response, 400, field + " must be ");
    assertNothingMoreWritten();
  }

  @ParameterizedTest
  @ValueSource(strings = {"customerId", "productId", "quantity", "version"})
  void nullIsAMissingValue(String field) throws Exception {
    HttpResponse<String> response = send(field, "null");

    assertError(response, 422, field + " must not be");
    assertNothingMoreWritten();
  }

  /** PostgreSQL cannot store NUL, UTF-8 cannot encode a lone surrogate: refused before any SQL. */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("unstorableText")
  void textTheDatabaseCannotHoldIsRefusedNamingTheField(String field, String value)
      throws Exception {
    HttpResponse<String> response = send(field, value);

    assertError(response, 422, field + " must not contain NUL characters or unpaired UTF-16");
    assertNothingMoreWritten();
  }

  static Stream<Arguments> unstorableText() {
    return Stream.of("customerId", "productId")
        .flatMap(
            field ->
                Stream.of("\"wid\\u0000get\"", "\"\\u0000\"", "\"a\\ud800\"", "\"\\udc00a\"")
                    .map(value -> Arguments.of(field, value)));
  }

  @Test
  void aRepeatedFieldIsRefusedRatherThanTheLastOneWinning() throws Exception {
    HttpResponse<String> response =
        api.post(
            "/orders",
            "{\"customerId\":\"a\",\"productId\":\"widget\",\"quantity\":1,\"quantity\":9}");

    assertError(response, 400, "duplicate field 'quantity'");
    assertNothingMoreWritten();
  }

  @Test
  void textAfterTheJsonDocumentIsRefused() throws Exception {
    HttpResponse<String> response = api.post("/orders", body(PLACE) + "{\"quantity\":9}");

    assertError(response, 400, "request body has more after its JSON object");
    assertNothingMoreWritten();
  }

  @Test
  void twoIdempotencyKeysAreRefusedRatherThanOneChosen() throws Exception {
    HttpResponse<String> response =
        api.send(
            api.request("/orders")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "k-1")
                .header("Idempotency-Key", "k-2")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body(PLACE))));

    assertError(response, 400, "Idempotency-Key must be given at most once");
    assertNothingMoreWritten();
  }

  static Stream<String> overJacksonsLimits() {
    return Stream.of(
        "{\"customerId\":\"a\",\"productId\":\"widget\",\"quantity\":1" + "0".repeat(2000) + "}",
        "{\"customerId\":\"a\",\"x\":" + "[".repeat(1500) + "]".repeat(1500) + "}");
  }

  @ParameterizedTest
  @MethodSource("overJacksonsLimits")
  void numbersAndNestingBeyondJacksonsLimitsAreRefusedInTheErrorShape(String body)
      throws Exception {
    assertError(api.post("/orders", body), 400, "request body exceeds a JSON limit");
    assertNothingMoreWritten();
  }

  @Test
  void aLongFieldNameIsNotEchoedBack() throws Exception {
    HttpResponse<String> response = api.post("/orders", "{\"" + "a".repeat(10_000) + "\":1}");

    assertError(response, 400, "unknown field 'aaaa");
    assertThat(response.body()).hasSizeLessThan(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1-1-1-1-1", "+0000001-1-1-1-1", "00000001-0001-0001-0001-000000000001x"})
  void anOrderIdNotInCanonicalFormIsNotFoundRatherThanAnAlias(String alias) throws Exception {
    postgres.execute(
        "INSERT INTO orders (id, customer_id, product_id, quantity, status)"
            + " VALUES ('00000001-0001-0001-0001-000000000001', 'bob', 'widget', 1, 'PLACED')");

    assertError(api.send(api.request("/orders/" + alias)), 404, "order ids are UUIDs");
    assertError(
        api.post("/orders/" + alias + "/cancel", "{\"version\":0}"), 404, "order ids are UUIDs");
    assertThat(api.send(api.request("/orders/00000001-0001-0001-0001-000000000001")).statusCode())
        .isEqualTo(200);
  }

  private HttpResponse<String> send(String field, String value) throws Exception {
    if (field.equals("version")) {
      return api.post("/orders/" + orderId + "/cancel", "{\"version\":" + value + "}");
    }
    Map<String, String> fields = new java.util.LinkedHashMap<>(PLACE);
    fields.put(field, value);
    return api.post("/orders", body(fields));
  }

  private static String body(Map<String, String> fields) {
    StringBuilder json = new StringBuilder("{");
    fields.forEach(
        (name, value) ->
            json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(name)
                .append("\":")
                .append(value));
    return json.append('}').toString();
  }

  /** Only the order of {@link #oneOrderToCancel}: no second order, no cancel, stock 10 - 2. */
  private static void assertNothingMoreWritten() throws SQLException {
    assertThat(postgres.queryForLong("SELECT count(*) FROM orders")).isEqualTo(1);
    assertThat(postgres.queryForLong("SELECT count(*) FROM orders WHERE version = 0")).isEqualTo(1);
    assertThat(postgres.queryForLong("SELECT count(*) FROM outbox")).isEqualTo(1);
    assertThat(postgres.queryForLong("SELECT stock FROM products WHERE id = 'widget'"))
        .isEqualTo(8);
  }
}
