package io.github.outboxrelay.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the fixture fails when it finds no database: at once, saying what to do. */
class TestPostgresTest {

  /** Nothing listens on port 1, so a connection is refused at once. */
  private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/test";

  @Test
  void withoutDockerOrALocalServerItFailsAndSaysHowToProvideOne() {
    assertThatThrownBy(() -> TestPostgres.resolve(name -> null, () -> false, NOWHERE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No PostgreSQL for the integration tests")
        .hasMessageContaining("start a local PostgreSQL")
        .hasMessageContaining("start Docker")
        .hasMessageContaining("OUTBOX_TEST_JDBC_URL");
  }

  @Test
  void aConfiguredServerThatDoesNotAnswerIsNamedWithoutItsPassword() {
    Map<String, String> env =
        Map.of(
            TestPostgres.URL_VARIABLE, NOWHERE,
            TestPostgres.USER_VARIABLE, "ci",
            TestPostgres.PASSWORD_VARIABLE, "s3cret");

    assertThatThrownBy(() -> TestPostgres.resolve(env::get, () -> true, NOWHERE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(NOWHERE + " as ci")
        .hasMessageContaining("Check OUTBOX_TEST_JDBC_URL")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void schemaNamesAreUniqueLegalIdentifiers() {
    String first = PostgresExtension.schemaNameFor(TestPostgresTest.class);
    String second = PostgresExtension.schemaNameFor(TestPostgresTest.class);

    assertThat(first).matches("t_testpostgrestest_[0-9a-f]{10}").isNotEqualTo(second);
    assertThat(first.length()).isLessThanOrEqualTo(63);
  }
}
