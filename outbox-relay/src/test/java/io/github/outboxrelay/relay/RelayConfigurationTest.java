package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.github.outboxrelay.dropwizard.EnvironmentPlaceholders;
import io.github.outboxrelay.relay.core.PublishedRows;
import jakarta.validation.constraints.Max;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The YAML users write: the shipped file is valid, and every mistake names its key. */
class RelayConfigurationTest {

  @TempDir Path directory;

  private static final String MINIMAL =
      """
      database:
        url: jdbc:postgresql://db:5432/shop
        user: relay
      kafka:
        bootstrapServers: kafka:9092
      """;

  private static RelayConfiguration load(Path file) throws Exception {
    // The factory the relay installs, which also refuses unknown keys.
    return new EnvironmentPlaceholders<RelayConfiguration>()
        .create(
            RelayConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(new FileConfigurationSourceProvider(), file.toString());
  }

  private RelayConfiguration load(String yaml) throws Exception {
    Path file = directory.resolve("relay.yml");
    Files.writeString(file, yaml);
    return load(file);
  }

  @Test
  void theShippedConfigurationIsValid() throws Exception {
    RelayConfiguration configuration = load(Path.of("../config/relay.yml"));

    assertThat(configuration.getOutbox().getTable()).isEqualTo("outbox");
    assertThat(configuration.getOutbox().isExclusive()).isTrue();
    assertThat(configuration.getKafka().getBootstrapServers()).isNotBlank();
  }

  @Test
  void minimalConfigurationGetsTheDocumentedDefaults() throws Exception {
    RelayConfiguration configuration = load(MINIMAL);

    assertThat(configuration.getOutbox().getBatchSize()).isEqualTo(2000);
    assertThat(configuration.getOutbox().getInFlightBatches()).isEqualTo(2);
    assertThat(configuration.getOutbox().getPollInterval().toMilliseconds()).isEqualTo(100);
    assertThat(configuration.getOutbox().getMaxAttempts()).isEqualTo(5);
    assertThat(configuration.getOutbox().isListenNotify()).isFalse();
    assertThat(configuration.getOutbox().isExclusive()).as("one relay claims at a time").isTrue();
    assertThat(configuration.getOutbox().getLeaseCheckInterval().toMilliseconds()).isEqualTo(1000);
    assertThat(configuration.getOutbox().getRetention().isEnabled()).isTrue();
    assertThat(configuration.getDatabase().getMaxPoolSize()).isEqualTo(4);
  }

  @Test
  void weakeningProducerOverrideIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> load(MINIMAL + "  producer:\n    acks: \"1\"\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("kafka.producer.acks=1")
        .hasMessageContaining("kafka.allowUnsafeProducerOverrides");
  }

  @Test
  void weakeningProducerOverrideIsAcceptedWhenAllowed() throws Exception {
    RelayConfiguration configuration =
        load(MINIMAL + "  allowUnsafeProducerOverrides: true\n  producer:\n    acks: \"1\"\n");

    Properties producer = configuration.getKafka().producerProperties();
    assertThat(producer).containsEntry("acks", "1");
  }

  @Test
  void unknownKeysAreNamed() {
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  batchSiz: 10\n"))
        .hasMessageContaining("Unrecognized field at: outbox.batchSiz")
        .hasMessageContaining("batchSize");
  }

  @Test
  void outOfRangeValuesAreNamed() {
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  batchSize: 0\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("outbox.batchSize");
  }

  @ParameterizedTest
  @CsvSource({
    "outbox, maxAttempts, 2147483647",
    "outbox, backoffInitial, 2h",
    "outbox, backoffMax, 9223372036854775807d",
    "outbox, shutdownTimeout, 30d",
    "outbox, lagThreshold, 30d",
    "outbox, metricsRefresh, 2h",
    "outbox, batchSize, 10001",
    "outbox, inFlightBatches, 9",
    "outbox, pollInterval, 2m",
    "outbox, activePollInterval, 2m",
    "outbox, leaseCheckInterval, 2m",
    "database, connectionTimeout, 6m",
    "database, maxPoolSize, 65"
  })
  void valuesPastTheirUpperBoundAreRefusedNamingTheKey(String section, String key, String value) {
    String yaml =
        section.equals("outbox")
            ? MINIMAL + "outbox:\n  " + key + ": " + value + "\n"
            : MINIMAL.replace("user: relay", "user: relay\n  " + key + ": " + value);
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining(section + "." + key);
  }

  @ParameterizedTest
  @CsvSource({"publishedAge, 3651d", "interval, 2d", "batchSize, 100001"})
  void retentionValuesPastTheirUpperBoundAreRefusedNamingTheKey(String key, String value) {
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  retention:\n    " + key + ": " + value))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("outbox.retention." + key);
  }

  /** A setting added later gets a bound too: a number or a time without one fails here. */
  @ParameterizedTest
  @ValueSource(classes = {RelayFactory.class, RetentionFactory.class, DatabaseFactory.class})
  void everyNumberAndDurationSettingHasAnUpperBound(Class<?> factory) {
    for (Field field : factory.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      Class<?> type = field.getType();
      if (type == int.class || type == long.class) {
        assertThat(field.isAnnotationPresent(Max.class)).as(field.getName() + " has @Max").isTrue();
      } else if (type == Duration.class) {
        assertThat(field.isAnnotationPresent(MaxDuration.class))
            .as(field.getName() + " has @MaxDuration")
            .isTrue();
      }
    }
  }

  @Test
  void aProducerDeliveryTimeoutOfRetryForEverIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () -> load(MINIMAL + "  producer:\n    delivery.timeout.ms: \"2147483647\"\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("kafka.producer.delivery.timeout.ms=2147483647")
        .hasMessageContaining("limit of 600000 ms");
  }

  @Test
  void aPartitionerThatIgnoresKeysIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                load(
                    MINIMAL
                        + "  producer:\n    partitioner.class:"
                        + " org.apache.kafka.clients.producer.RoundRobinPartitioner\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("kafka.producer.partitioner.class")
        .hasMessageContaining("kafka.allowUnsafeProducerOverrides");
  }

  @Test
  void aLeaseCheckIntervalOutsideItsRangeIsNamed() {
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  leaseCheckInterval: 1ms\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("outbox.leaseCheckInterval");
  }

  @Test
  void publishedRowsAreLeftToThePositionByDefaultMarkedWithoutALeaseDeletedOnRequest()
      throws Exception {
    assertThat(load(MINIMAL).getOutbox().getPublished()).isEqualTo(PublishedRows.KEEP);
    assertThat(load(MINIMAL + "outbox:\n  exclusive: false\n").getOutbox().getPublished())
        .isEqualTo(PublishedRows.MARK);
    assertThat(load(MINIMAL + "outbox:\n  published: delete\n").getOutbox().getPublished())
        .isEqualTo(PublishedRows.DELETE);
  }

  @Test
  void keepingPublishedRowsUnwrittenNeedsTheExclusiveLease() throws Exception {
    assertThat(load(MINIMAL + "outbox:\n  published: keep\n").getOutbox().getPublished())
        .isEqualTo(PublishedRows.KEEP);
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  published: keep\n  exclusive: false\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("published: keep needs exclusive: true");
  }

  @Test
  void anUnknownWayOfKeepingPublishedRowsIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  published: archive\n"))
        .hasMessageContaining("outbox.published")
        .hasMessageContaining("keep")
        .hasMessageContaining("mark")
        .hasMessageContaining("delete");
  }

  @Test
  void illegalTableNamesAreRefused() {
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  table: \"outbox; drop table x\"\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("outbox.table must be 'table' or 'schema.table'");
  }

  @Test
  void missingRequiredSettingsAreNamed() {
    assertThatThrownBy(() -> load("kafka:\n  bootstrapServers: kafka:9092\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("database must not be null");
  }

  @Test
  void backoffCapBelowItsStartIsRefused() {
    assertThatThrownBy(() -> load(MINIMAL + "outbox:\n  backoffInitial: 10s\n  backoffMax: 1s\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("backoffMax must not be shorter than backoffInitial");
  }

  @Test
  void startUpSummaryMasksSecrets() throws IOException, Exception {
    RelayConfiguration configuration =
        load(
            MINIMAL.replace("user: relay", "user: relay\n  password: hunter2")
                + "  producer:\n"
                + "    sasl.jaas.config: \"ScramLoginModule required password=hunter2;\"\n"
                + "    ssl.key.password: hunter2\n"
                + "    linger.ms: \"7\"\n");

    String summary = ConfigurationSummary.of(configuration);

    assertThat(summary)
        .doesNotContain("hunter2")
        .contains("sasl.jaas.config=****")
        .contains("linger.ms=7")
        .contains("user=relay");
  }

  @Test
  void passwordInTheJdbcUrlIsMasked() throws Exception {
    RelayConfiguration configuration =
        load(MINIMAL.replace("shop", "shop?user=relay&password=hunter2&ssl=true"));

    assertThat(configuration.getDatabase().toString())
        .doesNotContain("hunter2")
        .contains("/shop?user=****&password=****&ssl=****");
  }
}
