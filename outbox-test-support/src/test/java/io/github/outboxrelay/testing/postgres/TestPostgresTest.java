package io.github.outboxrelay.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which database the fixture picks, and how it fails when it cannot: at once, saying why. */
class TestPostgresTest {

  /** Nothing listens on port 1, so a connection is refused at once. */
  private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/test";

  private static final PostgresServer EMBEDDED =
      new PostgresServer("jdbc:postgresql://127.0.0.1:2/postgres", "postgres", null, "embedded");

  @Test
  void withoutDockerOrALocalServerItStartsAnEmbeddedOne() {
    Map<String, String> env = Map.of(LocalPostgres.VARIABLE, "127.0.0.1:1");

    assertThat(TestPostgres.resolve(env::get, () -> false, () -> EMBEDDED)).isEqualTo(EMBEDDED);
  }

  @Test
  void theLocalAddressMustBeHostAndPort() {
    Map<String, String> env = Map.of(LocalPostgres.VARIABLE, "127.0.0.1/test");

    assertThatThrownBy(() -> TestPostgres.resolve(env::get, () -> false, () -> EMBEDDED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "OUTBOX_LOCAL_POSTGRES must be host:port, such as 127.0.0.1:5432, not"
                + " '127.0.0.1/test'");
  }

  @Test
  void aConfiguredServerThatDoesNotAnswerIsNamedWithoutItsPassword() {
    Map<String, String> env =
        Map.of(
            TestPostgres.URL_VARIABLE, NOWHERE,
            TestPostgres.USER_VARIABLE, "ci",
            TestPostgres.PASSWORD_VARIABLE, "s3cret");

    assertThatThrownBy(() -> TestPostgres.resolve(env::get, () -> true, () -> EMBEDDED))
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
