package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which producer properties the start-up summary masks. */
class ConfigurationSummaryTest {

  @org.junit.jupiter.api.Test
  void theAdminPasswordShowsOnlyWhetherItIsSet() {
    RelayConfiguration configuration = new RelayConfiguration();
    DatabaseFactory database = new DatabaseFactory();
    database.setUrl("jdbc:postgresql://db:5432/shop");
    database.setUser("relay");
    configuration.setDatabase(database);
    KafkaFactory kafka = new KafkaFactory();
    kafka.setBootstrapServers("kafka:9092");
    configuration.setKafka(kafka);
    configuration.getAdmin().setPassword("adminPw-Q7r1");

    String summary = ConfigurationSummary.of(configuration);

    assertThat(summary).contains("admin: user=admin, password=(set)").doesNotContain("Q7r1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Kafka types these as passwords.
        "sasl.jaas.config",
        "ssl.key.password",
        "ssl.keystore.password",
        "ssl.keystore.key",
        "ssl.truststore.password",
        "sasl.oauthbearer.client.credentials.client.secret",
        "sasl.oauthbearer.assertion.private.key.passphrase",
        // Unknown to Kafka: a custom callback handler's options, by what their names suggest.
        "sasl.login.callback.handler.custom.secret",
        "custom.passphrase",
        "my.handler.password",
        "vault.token",
        "cloud.credentials",
        "cloud.credential.file",
        "signing.key",
        "my.private.material",
        "service.apikey",
        "service.api.key",
        "Service.API_KEY",
        "x.authorization",
        "some.jaas.options"
      })
  void secretsAreMasked(String key) {
    assertThat(ConfigurationSummary.masked(properties(key, "s3cret"))).containsEntry(key, "****");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "linger.ms",
        "client.id",
        "key.serializer",
        "partitioner.ignore.keys",
        "ssl.keystore.location",
        "ssl.keymanager.algorithm",
        "sasl.oauthbearer.token.endpoint.url",
        "sasl.oauthbearer.client.credentials.client.id",
        "security.protocol",
        "my.monkey.count"
      })
  void whatKafkaKnowsAsNoSecretOrNoSecretNameIsShown(String key) {
    assertThat(ConfigurationSummary.masked(properties(key, "value"))).containsEntry(key, "value");
  }

  private static Properties properties(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    return properties;
  }
}
