package io.github.outboxrelay.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.dropwizard.testing.JarProcess;
import io.github.outboxrelay.dropwizard.testing.Secrets;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged order service, given its database password and a URL password through the
 * environment as users give them, shows neither: not in its output, nor on its ports, nor when it
 * cannot start.
 */
class OrderServiceSecretsIT {

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static final String URL_PASSWORD = "urlPw-J4c8";
  static final List<String> SECRETS =
      List.of(Secrets.AWKWARD_PASSWORD, Secrets.AWKWARD_PASSWORD_MARKER, URL_PASSWORD);

  /** Flyway's and the pool's own logging too, above what the shipped file shows. */
  private static final Map<String, String> VERBOSE =
      Map.of(
          "dw.logging.loggers.org\\.flywaydb", "INFO",
          "dw.logging.loggers.com\\.zaxxer\\.hikari", "DEBUG");

  @TempDir Path directory;

  private JarProcess start(String jdbcUrl) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("OUTBOX_JDBC_URL", jdbcUrl);
    environment.put("OUTBOX_DB_USER", postgres.server().user());
    environment.put("OUTBOX_DB_PASSWORD", Secrets.AWKWARD_PASSWORD);
    environment.put("ORDER_SERVICE_PORT", "0");
    environment.put("ORDER_SERVICE_ADMIN_PORT", "0");
    return JarProcess.start(
        "sample.order.service.jar",
        environment,
        VERBOSE,
        directory,
        "server",
        Path.of("../config/order-service.yml").toString());
  }

  @Test
  void aRunningServiceShowsNoSecretInItsOutputOrOnItsPorts() throws Exception {
    JarProcess service = start(postgres.jdbcUrl() + "&password=" + URL_PASSWORD);
    try {
      int application = service.port("application");
      int admin = service.port("admin");

      Secrets.assertNoneServed(
          application,
          List.of(
              "POST /orders",
              "GET /orders/00000000-0000-0000-0000-000000000000",
              "GET /orders/not-a-uuid",
              "POST /orders/00000000-0000-0000-0000-000000000000/cancel",
              "GET /no-such-page"),
          SECRETS);
      Secrets.assertNoneServed(admin, Secrets.ADMIN_REQUESTS, SECRETS);
    } finally {
      service.close();
    }

    String output = service.output();
    assertThat(output).as("the capture holds the start-up").contains("Started application@");
    Secrets.assertNoneIn("the service's output", output, SECRETS);
  }

  /** One it cannot reach, and one the driver refuses (and would log whole, if it saw it). */
  @ParameterizedTest
  @ValueSource(
      strings = {"jdbc:postgresql://127.0.0.1:1/nowhere", "jdbc:postgresql://127.0.0.1:5432/db/x"})
  void aServiceGivenAUselessDatabaseUrlShowsNoSecret(String url) throws Exception {
    JarProcess service = start(url + "?password=" + URL_PASSWORD);
    try {
      assertThat(service.awaitExit()).isNotZero();
    } finally {
      service.close();
    }

    String output = service.output();
    assertThat(output).contains("127.0.0.1:");
    Secrets.assertNoneIn("the service's start-up error", output, SECRETS);
  }
}
