package io.github.outboxrelay.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.github.outboxrelay.dropwizard.testing.Secrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentPlaceholdersTest {

  /** A configuration with the shapes the services have: strings, a map, numbers, booleans. */
  static final class Settings {
    @JsonProperty String url;
    @JsonProperty String password;
    @JsonProperty Map<String, String> producer;
    @JsonProperty int port;
    @JsonProperty boolean enabled;
    @JsonProperty List<String> hosts;
  }

  private static final String YAML =
      """
      # A comment naming ${UNSET_IN_A_COMMENT} is only a comment.
      url: jdbc:postgresql://db:5432/shop?password=${DB_PASSWORD}&ssl=true
      password: ${DB_PASSWORD}
      producer:
        sasl.jaas.config: ${JAAS}
      port: ${PORT:-8080}
      enabled: ${ENABLED:-false}
      hosts:
        - ${HOST:-localhost}
      """;

  private static Settings parse(String yaml, Map<String, String> environment)
      throws IOException, ConfigurationException {
    ConfigurationSourceProvider source =
        path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    return new EnvironmentPlaceholders<Settings>(environment::get)
        .create(Settings.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(source, "settings.yml");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        Secrets.AWKWARD_PASSWORD,
        "{starts: with a brace}",
        "@starts-with-at",
        "has: colon-space",
        "has #hash after a space",
        "\"double\" and 'single' quotes and a \\ backslash",
        "line one\nline two\r\n",
        "ünïcødé € 😀",
        "${HOME} and $${ESCAPED} stay literal",
        "- starts like a list",
        "*alias &anchor !tag | > %",
        "  padded  ",
        "true",
        "null",
        ""
      })
  void aPasswordOfAnyShapeArrivesExactly(String password) throws Exception {
    Settings settings =
        parse(YAML, Map.of("DB_PASSWORD", password, "JAAS", password + ";", "PORT", "9090"));

    assertThat(settings.password).isEqualTo(password);
    assertThat(settings.url)
        .isEqualTo("jdbc:postgresql://db:5432/shop?password=" + password + "&ssl=true");
    assertThat(settings.producer).containsExactly(Map.entry("sasl.jaas.config", password + ";"));
    assertThat(settings.port).isEqualTo(9090);
  }

  @Test
  void defaultsNumbersBooleansAndListsStillBind() throws Exception {
    Settings settings = parse(YAML, Map.of("DB_PASSWORD", "pw", "JAAS", "j", "ENABLED", "true"));

    assertThat(settings.port).isEqualTo(8080);
    assertThat(settings.enabled).isTrue();
    assertThat(settings.hosts).containsExactly("localhost");
  }

  @Test
  void anUnsetVariableWithoutDefaultFailsNamingItAndTheKey() {
    Throwable failure = catchThrowable(() -> parse(YAML, Map.of("JAAS", "j")));

    assertThat(failure).hasMessageContaining("url").hasMessageContaining("DB_PASSWORD");
  }

  @Test
  void aParseErrorShowsThePlaceholderNeverTheValue() {
    String broken = YAML.replace("port: ${PORT:-8080}", "port: ${PORT:-8080}\n  bad: [");

    Throwable failure =
        catchThrowable(
            () -> parse(broken, Map.of("DB_PASSWORD", Secrets.AWKWARD_PASSWORD, "JAAS", "j")));

    assertThat(failure).isInstanceOf(ConfigurationException.class);
    Secrets.assertNoneIn(
        "the parse error",
        failure.toString(),
        List.of(Secrets.AWKWARD_PASSWORD, Secrets.AWKWARD_PASSWORD_MARKER));
  }

  @Test
  void aValueOfTheWrongTypeIsNamedByItsKeyNotShown() {
    Throwable failure =
        catchThrowable(
            () -> parse(YAML, Map.of("DB_PASSWORD", "pw", "JAAS", "j", "PORT", "portS3cret-7")));

    assertThat(failure).isInstanceOf(ConfigurationException.class).hasMessageContaining("port");
    StringWriter printed = new StringWriter();
    failure.printStackTrace(new PrintWriter(printed));
    Secrets.assertNoneIn("the value error", printed.toString(), List.of("portS3cret-7"));
  }
}
