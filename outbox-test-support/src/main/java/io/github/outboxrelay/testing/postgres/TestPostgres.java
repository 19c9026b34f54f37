package io.github.outboxrelay.testing.postgres;

import io.github.outboxrelay.testing.Docker;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Finds the one PostgreSQL server every integration test in this JVM uses, in this order:
 *
 * <ol>
 *   <li>the server named by {@value #URL_VARIABLE} (with {@value #USER_VARIABLE} and {@value
 *       #PASSWORD_VARIABLE}), for CI systems that provide one;
 *   <li>a Testcontainers container, where Docker is available;
 *   <li>the local server at {@code 127.0.0.1:5432} (or {@value LocalPostgres#VARIABLE}), user
 *       {@code postgres}, database {@code test};
 *   <li>an embedded server from the binaries on Maven Central, so that a machine with only a JDK
 *       runs the tests too.
 * </ol>
 *
 * When even the embedded server cannot start, the first test fails at once and says why:
 * integration tests are never skipped for want of a database.
 */
public final class TestPostgres {

  public static final String URL_VARIABLE = "OUTBOX_TEST_JDBC_URL";
  public static final String USER_VARIABLE = "OUTBOX_TEST_DB_USER";
  public static final String PASSWORD_VARIABLE = "OUTBOX_TEST_DB_PASSWORD";
  public static final String IMAGE_VARIABLE = "OUTBOX_TEST_POSTGRES_IMAGE";

  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  private static PostgresServer server;

  private TestPostgres() {}

  /** The server, resolved once per JVM. */
  public static synchronized PostgresServer server() {
    if (server == null) {
      server =
          resolve(
              System::getenv,
              Docker::isAvailable,
              () ->
                  EmbeddedPostgresServer.start("integration tests", Map.of())
                      .stopAtExit()
                      .server());
      LOG.info("Integration tests use PostgreSQL from {}", server);
    }
    return server;
  }

  static PostgresServer resolve(
      UnaryOperator<String> env,
      BooleanSupplier dockerAvailable,
      Supplier<PostgresServer> embedded) {
    String url = env.apply(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      PostgresServer configured =
          new PostgresServer(
              url,
              orDefault(env.apply(USER_VARIABLE), "postgres"),
              env.apply(PASSWORD_VARIABLE),
              URL_VARIABLE);
      requireReachable(configured, "Check " + URL_VARIABLE + " and the credentials.");
      return configured;
    }
    if (dockerAvailable.getAsBoolean()) {
      return startContainer(orDefault(env.apply(IMAGE_VARIABLE), "postgres:15-alpine"));
    }
    PostgresServer local =
        new PostgresServer(LocalPostgres.jdbcUrl(env, "test"), "postgres", null, "local server");
    try (Connection ignored = local.connect()) {
      return local;
    } catch (SQLException e) {
      LOG.info(
          "No local PostgreSQL for the integration tests at {} ({}); starting an embedded one",
          local.jdbcUrl(),
          e.getMessage());
    }
    return embedded.get();
  }

  private static PostgresServer startContainer(String image) {
    PostgreSQLContainer<?> container =
        new PostgreSQLContainer<>(
            DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
    container.start();
    // Ryuk removes the container when this JVM exits.
    return new PostgresServer(
        container.getJdbcUrl(), container.getUsername(), container.getPassword(), "Testcontainers");
  }

  private static void requireReachable(PostgresServer candidate, String advice) {
    try (Connection ignored = candidate.connect()) {
      // reachable
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot connect to PostgreSQL at " + candidate + ": " + e.getMessage() + ". " + advice,
          e);
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
