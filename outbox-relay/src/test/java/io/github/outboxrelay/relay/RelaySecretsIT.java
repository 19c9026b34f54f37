package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.outboxrelay.dropwizard.testing.JarProcess;
import io.github.outboxrelay.dropwizard.testing.Secrets;
import io.github.outboxrelay.testing.kafka.KafkaExtension;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged relay, given secrets of every awkward shape through the environment as users give
 * them, shows none of them: not in its output, nor on its admin port, nor when it cannot start.
 */
class RelaySecretsIT {

  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension(RelayTestSupport::migrateOutbox);

  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  static final String URL_PASSWORD = "urlPw-Q7z3";
  static final String JAAS_PASSWORD = "jaasPw-R8v1";
  static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"relay\""
          + " password=\""
          + JAAS_PASSWORD
          + "\";";
  static final String SSL_KEY_PASSWORD = "sslKeyPw-M2k5";
  static final String PASSPHRASE = "oauthPassphrase-W4n6";
  static final String CUSTOM_SECRET = "customSecret-H9d2";
  static final List<String> SECRETS =
      List.of(
          Secrets.AWKWARD_PASSWORD,
          Secrets.AWKWARD_PASSWORD_MARKER,
          URL_PASSWORD,
          JAAS,
          JAAS_PASSWORD,
          SSL_KEY_PASSWORD,
          PASSPHRASE,
          CUSTOM_SECRET);

  /** Kafka's producer settings unused by the PLAINTEXT test broker, from the environment. */
  private static final String PRODUCER =
      """
        producer:
          sasl.jaas.config: ${KAFKA_SASL_JAAS_CONFIG}
          ssl.key.password: ${KAFKA_SSL_KEY_PASSWORD}
          sasl.oauthbearer.assertion.private.key.passphrase: ${KAFKA_ASSERTION_PASSPHRASE}
          sasl.login.callback.handler.custom.secret: ${KAFKA_CUSTOM_SECRET}
      """;

  @TempDir Path directory;

  /** The shipped configuration, with producer settings that carry secrets. */
  private Path configuration() throws Exception {
    String shipped = Files.readString(Path.of("../config/relay.yml"));
    assertThat(shipped).contains("  producer: {}\n");
    Path file = directory.resolve("relay.yml");
    Files.writeString(file, shipped.replace("  producer: {}\n", PRODUCER));
    return file;
  }

  private static Map<String, String> environment(String jdbcUrl) {
    Map<String, String> environment = new HashMap<>();
    environment.put("OUTBOX_JDBC_URL", jdbcUrl);
    environment.put("OUTBOX_DB_USER", postgres.server().user());
    environment.put("OUTBOX_DB_PASSWORD", Secrets.AWKWARD_PASSWORD);
    environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    environment.put("KAFKA_SASL_JAAS_CONFIG", JAAS);
    environment.put("KAFKA_SSL_KEY_PASSWORD", SSL_KEY_PASSWORD);
    environment.put("KAFKA_ASSERTION_PASSPHRASE", PASSPHRASE);
    environment.put("KAFKA_CUSTOM_SECRET", CUSTOM_SECRET);
    environment.put("RELAY_HTTP_PORT", "0");
    environment.put("RELAY_ADMIN_PORT", "0");
    return environment;
  }

  /** Kafka's and the pool's own logging too, above what the shipped file shows. */
  private static final Map<String, String> VERBOSE =
      Map.of(
          "dw.logging.loggers.org\\.apache\\.kafka", "INFO",
          "dw.logging.loggers.com\\.zaxxer\\.hikari", "DEBUG");

  @Test
  void aRunningRelayShowsNoSecretInItsOutputOrOnItsPorts() throws Exception {
    String topic = kafka.createTopic("secrets", 1);
    RelayTestSupport.commit(postgres, List.of(RelayTestSupport.event(topic, "order-1", "{}")));
    JarProcess relay =
        JarProcess.start(
            "outbox.relay.jar",
            environment(postgres.jdbcUrl() + "&password=" + URL_PASSWORD),
            VERBOSE,
            directory,
            "server",
            configuration().toString());
    try {
      int admin = relay.port("admin");
      int application = relay.port("application");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(admin, "/healthcheck").statusCode() == 200);
      await().atMost(Duration.ofSeconds(60)).until(() -> RelayTestSupport.pending(postgres) == 0);

      Secrets.assertNoneServed(
          admin,
          Stream.concat(
                  Secrets.ADMIN_REQUESTS.stream(),
                  Stream.of(
                      "POST /tasks/parked-events",
                      "POST /tasks/parked-events?limit=nonsense",
                      "POST /tasks/requeue-parked-events?all=true",
                      "POST /tasks/requeue-parked-events"))
              .toList(),
          SECRETS);
      Secrets.assertNoneServed(application, List.of("GET /", "POST /anything"), SECRETS);
    } finally {
      relay.close();
    }

    String output = relay.output();
    assertThat(output)
        .as("the capture holds the summary and Kafka's producer settings")
        .contains("Starting outbox relay: database: url=jdbc:postgresql://")
        .contains("ProducerConfig values");
    Secrets.assertNoneIn("the relay's output", output, SECRETS);
  }

  /** One it cannot reach, and one the driver refuses (and would log whole, if it saw it). */
  @ParameterizedTest
  @ValueSource(
      strings = {"jdbc:postgresql://127.0.0.1:1/nowhere", "jdbc:postgresql://127.0.0.1:5432/db/x"})
  void aRelayGivenAUselessDatabaseUrlSaysSoWithoutItsPassword(String url) throws Exception {
    JarProcess relay =
        JarProcess.start(
            "outbox.relay.jar",
            environment(url + "?password=" + URL_PASSWORD),
            VERBOSE,
            directory,
            "server",
            configuration().toString());
    try {
      assertThat(relay.awaitExit()).isNotZero();
    } finally {
      relay.close();
    }

    String output = relay.output();
    assertThat(output).contains(url + "?password=****");
    Secrets.assertNoneIn("the relay's start-up error", output, SECRETS);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
