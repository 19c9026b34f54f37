package io.github.outboxrelay.sample;

import static io.github.outboxrelay.sample.Faults.awaitBlockedBy;
import static io.github.outboxrelay.sample.Faults.execute;
import static io.github.outboxrelay.sample.HttpApi.assertError;
import static io.github.outboxrelay.sample.HttpApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Gauge;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.github.outboxrelay.testing.net.TcpProxy;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL going away under an order, as when it restarts: the service talks to it through a
 * {@link TcpProxy} that the tests cut (connections drop), stall (no answer) or close (connections
 * drop and new ones are refused). A brief outage is invisible to the client; a longer one is a 503
 * with {@code Retry-After} that never hides an order that was placed. Each test strikes at a known
 * moment: while the service's transaction waits for a lock the test holds.
 */
class DatabaseOutageIT {

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private static final String ORDER =
      "{\"customerId\":\"c-1\",\"productId\":\"widget\",\"quantity\":1}";

  private TcpProxy proxy;
  private DropwizardTestSupport<OrderServiceConfiguration> service;
  private HttpApi api;

  @BeforeEach
  void startTheServiceBehindAProxy() throws Exception {
    proxy = Faults.proxyTo(postgres);
    service =
        new DropwizardTestSupport<>(
            OrderServiceApplication.class,
            ResourceHelpers.resourceFilePath("order-service-test.yml"),
            ConfigOverride.config("database.url", Faults.jdbcUrlThrough(proxy, postgres)));
    service.before();
    api = new HttpApi(service::getLocalPort);
    postgres.execute(
        "TRUNCATE idempotency_keys, orders, outbox, products CASCADE",
        "INSERT INTO products (id, name, stock) VALUES ('widget', 'Widget', 10)");
  }

  @AfterEach
  void stop() {
    service.after();
    proxy.close();
  }

  @Test
  void anOrderDuringABriefOutageIsPlacedOnce() throws Exception {
    CompletableFuture<HttpResponse<String>> response;
    try (Connection holder = holdTheProduct()) {
      response = api.postAsync("/orders", ORDER);
      awaitBlockedBy(postgres, holder);
      proxy.stall(); // the server stops answering
      proxy.cutConnections(); // and drops every connection, as it does when it restarts
      await().atMost(Duration.ofSeconds(30)).until(() -> response.isDone() || retries() > 0);
    }
    proxy.resume(); // back

    assertPlacedOnce(answer(response));
  }

  @Test
  void anOrderWhoseBackendIsTerminatedIsPlacedOnce() throws Exception {
    CompletableFuture<HttpResponse<String>> response;
    try (Connection holder = holdTheProduct()) {
      response = api.postAsync("/orders", ORDER);
      int backend = awaitBlockedBy(postgres, holder);
      // 57P01, what every backend gets when PostgreSQL shuts down in fast mode.
      postgres.execute("SELECT pg_terminate_backend(" + backend + ")");
    }

    assertPlacedOnce(answer(response));
  }

  @Test
  void aRefusalIsStillAConflictThatWritesNothing() throws Exception {
    HttpResponse<String> response =
        api.post("/orders", "{\"customerId\":\"c-1\",\"productId\":\"widget\",\"quantity\":11}");

    assertError(response, 409, "not enough stock");
    assertThat(postgres.queryForLong("SELECT count(*) FROM orders")).isZero();
    assertThat(stock()).isEqualTo(10);
  }

  @Test
  void whenTheDatabaseStaysAwayTheClientIsToldToComeBackAndNothingIsWritten() throws Exception {
    CompletableFuture<HttpResponse<String>> response;
    try (Connection holder = holdTheProduct()) {
      response = api.postAsync("/orders", ORDER);
      awaitBlockedBy(postgres, holder);
      proxy.close(); // connections drop, and new ones are refused from now on
    }

    HttpResponse<String> unavailable = answer(response);
    assertUnavailable(unavailable);
    assertThat(unavailable.body()).doesNotContain("may have");
    assertThat(postgres.queryForLong("SELECT count(*) FROM orders")).isZero();
    assertThat(postgres.queryForLong("SELECT count(*) FROM outbox")).isZero();
    assertThat(stock()).isEqualTo(10);
  }

  /**
   * The service's COMMIT is held inside PostgreSQL (a deferred trigger waits for an advisory lock
   * the test holds) while the test breaks the connection: the client cannot know whether it took
   * effect, PostgreSQL decides.
   */
  @Nested
  class CommitInDoubt {

    private final long key = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    @BeforeEach
    void holdCommitsOnTheOutbox() throws SQLException {
      postgres.execute(
          "CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              + " PERFORM pg_advisory_xact_lock_shared("
              + key
              + "); RETURN NULL; END $$",
          "CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON outbox"
              + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold_commit()");
    }

    @AfterEach
    void releaseCommits() throws SQLException {
      postgres.execute("DROP TRIGGER hold_commit ON outbox", "DROP FUNCTION hold_commit()");
    }

    @Test
    void aCommitThatTookEffectIsAnsweredWithItsOrderAndNotPlacedAgain() throws Exception {
      CompletableFuture<HttpResponse<String>> response;
      try (Connection holder = postgres.dataSource().getConnection()) {
        execute(holder, "SELECT pg_advisory_lock(" + key + ")");
        response = api.postAsync("/orders", ORDER);
        awaitBlockedBy(postgres, holder);
        proxy.cutConnections(); // the connection breaks while the COMMIT is under way
        execute(holder, "SELECT pg_advisory_unlock(" + key + ")"); // and the COMMIT completes
      }

      assertPlacedOnce(answer(response));
    }

    @Test
    void aCommitThatDidNotTakeEffectIsPlacedOnce() throws Exception {
      CompletableFuture<HttpResponse<String>> response;
      try (Connection holder = postgres.dataSource().getConnection()) {
        execute(holder, "SELECT pg_advisory_lock(" + key + ")");
        response = api.postAsync("/orders", ORDER);
        int backend = awaitBlockedBy(postgres, holder);
        postgres.execute("SELECT pg_terminate_backend(" + backend + ")"); // aborts the COMMIT
        execute(holder, "SELECT pg_advisory_unlock(" + key + ")");
      }

      assertPlacedOnce(answer(response));
    }

    @Test
    void aCancellationThatTookEffectIsAnsweredAsDone() throws Exception {
      String id = json(api.post("/orders", ORDER).body()).path("id").asText();
      CompletableFuture<HttpResponse<String>> response;
      try (Connection holder = postgres.dataSource().getConnection()) {
        execute(holder, "SELECT pg_advisory_lock(" + key + ")");
        response = api.postAsync("/orders/" + id + "/cancel", "{\"version\":0}");
        awaitBlockedBy(postgres, holder);
        proxy.cutConnections();
        execute(holder, "SELECT pg_advisory_unlock(" + key + ")");
      }

      HttpResponse<String> cancelled = answer(response);
      assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
      assertThat(json(cancelled.body()).path("status").asText()).isEqualTo("CANCELLED");
      assertThat(json(cancelled.body()).path("version").asInt()).isEqualTo(1);
      assertThat(postgres.queryForLong("SELECT count(*) FROM outbox WHERE type = 'OrderCancelled'"))
          .isEqualTo(1);
      assertThat(stock()).isEqualTo(10);
    }

    @Test
    void whenTheDatabaseStaysAwayAfterACommitThatTookEffectTheClientIsToldItMayBePlaced()
        throws Exception {
      CompletableFuture<HttpResponse<String>> response;
      try (Connection holder = postgres.dataSource().getConnection()) {
        execute(holder, "SELECT pg_advisory_lock(" + key + ")");
        response = api.postAsync("/orders", ORDER);
        awaitBlockedBy(postgres, holder);
        proxy.close(); // the connection breaks, and the database stays away for the service
        execute(holder, "SELECT pg_advisory_unlock(" + key + ")"); // the COMMIT completes
      }

      HttpResponse<String> unavailable = answer(response);
      assertUnavailable(unavailable);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> postgres.queryForLong("SELECT count(*) FROM orders") == 1);
      assertThat(json(unavailable.body()).path("message").asText())
          .contains("order " + onlyOrderId() + " may have been placed");
    }
  }

  /** A transaction of the test's own that holds the product's row until closed (rolled back). */
  private static Connection holdTheProduct() throws SQLException {
    Connection holder = postgres.dataSource().getConnection();
    holder.setAutoCommit(false);
    execute(holder, "SELECT 1 FROM products WHERE id = 'widget' FOR UPDATE");
    return holder;
  }

  private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> response)
      throws Exception {
    return response.get(60, TimeUnit.SECONDS);
  }

  /** Attempts the service ran again so far (none, if it does not count them). */
  private long retries() {
    Gauge<?> retries = service.getEnvironment().metrics().getGauges().get("transactions.retries");
    return retries == null ? 0 : ((Number) retries.getValue()).longValue();
  }

  private static void assertPlacedOnce(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    String id = json(response.body()).path("id").asText();
    assertThat(postgres.queryForLong("SELECT count(*) FROM orders")).isEqualTo(1);
    assertThat(onlyOrderId()).isEqualTo(id);
    assertThat(postgres.queryForLong("SELECT count(*) FROM outbox")).isEqualTo(1);
    assertThat(
            postgres.queryForLong(
                "SELECT count(*) FROM outbox WHERE aggregateid = ? AND type = 'OrderPlaced'", id))
        .isEqualTo(1);
    assertThat(stock()).isEqualTo(9);
  }

  private void assertUnavailable(HttpResponse<String> response) throws Exception {
    assertError(response, 503, "the database is unavailable");
    assertThat(response.headers().firstValue("Retry-After"))
        .hasValueSatisfying(seconds -> assertThat(seconds).matches("[1-9][0-9]*"));
    assertThat(response.body())
        .doesNotContain("jdbc", "postgresql", "127.0.0.1", "SQL", String.valueOf(proxy.port()));
  }

  private static long stock() throws SQLException {
    return postgres.queryForLong("SELECT stock FROM products WHERE id = 'widget'");
  }

  private static String onlyOrderId() throws SQLException {
    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id::text FROM orders")) {
      assertThat(rs.next()).as("an order").isTrue();
      return rs.getString(1);
    }
  }
}
