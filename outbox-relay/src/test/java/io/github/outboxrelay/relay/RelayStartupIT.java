package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A relay pointed at the wrong place refuses to start and says what is wrong. */
class RelayStartupIT {

  @RegisterExtension
  static final PostgresExtension postgres =
      new PostgresExtension(
          db ->
              db.execute(
                  "CREATE TABLE half_outbox (seq BIGINT PRIMARY KEY, id UUID, topic TEXT,"
                      + " payload BYTEA)"));

  private static Throwable startFailure(ConfigOverride... overrides) {
    DropwizardTestSupport<RelayConfiguration> relay =
        new DropwizardTestSupport<>(
            RelayApplication.class, ResourceHelpers.resourceFilePath("relay-test.yml"), overrides);
    Throwable failure = catchThrowable(relay::before);
    relay.after();
    Assertions.assertThat(failure).as("the relay should have refused to start").isNotNull();
    return rootCause(failure);
  }

  @Test
  void anAdminPortBoundBeyondLoopbackWithoutCredentialsIsRefused() {
    Throwable failure =
        startFailure(
            ConfigOverride.config("database.url", postgres.jdbcUrl()),
            ConfigOverride.config("server.adminConnectors[0].bindHost", "0.0.0.0"));

    assertThat(failure)
        .hasMessageContaining(
            "The admin port is bound to [0.0.0.0], beyond this host, without"
                + " credentials. Set admin.password");
  }

  @Test
  void missingOutboxTableIsNamedWithHowToCreateIt() {
    Throwable failure =
        startFailure(
            ConfigOverride.config("database.url", postgres.jdbcUrl()),
            ConfigOverride.config("outbox.table", "no_such_outbox"));

    assertThat(failure)
        .hasMessageContaining(
            "The outbox table 'no_such_outbox' does not exist in schema " + postgres.schema())
        .hasMessageContaining("OutboxSchema.FLYWAY_LOCATION");
  }

  @Test
  void tableWithoutTheRelaysColumnsListsWhatIsMissing() {
    Throwable failure =
        startFailure(
            ConfigOverride.config("database.url", postgres.jdbcUrl()),
            ConfigOverride.config("outbox.table", "half_outbox"));

    assertThat(failure)
        .hasMessageContaining(
            "lacks the columns [aggregatetype, aggregateid, type, headers,"
                + " created_at, published_at, attempts, last_error, parked_at, txid, held_by,"
                + " skipped_at, skipped_by, skip_reason]");
  }

  @Test
  void unreachableDatabaseIsNamed() {
    Throwable failure =
        startFailure(
            ConfigOverride.config("database.url", "jdbc:postgresql://127.0.0.1:1/nowhere"),
            ConfigOverride.config("database.connectionTimeout", "1s"));

    assertThat(failure)
        .hasMessageContaining("Cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/nowhere");
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
      cause = cause.getCause();
    }
    return cause;
  }
}
