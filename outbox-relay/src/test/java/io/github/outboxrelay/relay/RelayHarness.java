package io.github.outboxrelay.relay;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.kafka.KafkaBroker;
import io.github.outboxrelay.testing.kafka.KafkaClients;
import io.github.outboxrelay.testing.kafka.LocalKafkaBroker;
import io.github.outboxrelay.testing.kafka.TestKafka;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Everything a relay integration test runs against, started in the order each part needs and
 * stopped in reverse: a fresh schema with the outbox migrated, a broker, then one or two relays
 * (the role gruelbox's {@code AbstractAcceptanceTest} plays). Register it once, as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RelayHarness harness = RelayHarness.onSharedKafka(config("outbox.maxAttempts", "3"));
 * }</pre>
 *
 * <p>The harness sets {@code database.url} and {@code kafka.bootstrapServers} itself; do not pass
 * overrides for them: Dropwizard keeps overrides in a set, so which of two for one key wins is left
 * to chance.
 */
final class RelayHarness implements BeforeAllCallback, AfterAllCallback {

  private static final String SECOND_PREFIX = "second.";

  private final PostgresExtension postgres = new PostgresExtension(RelayTestSupport::migrateOutbox);
  private final boolean dedicatedBroker;
  private final List<DropwizardAppExtension<RelayConfiguration>> relays = new ArrayList<>();
  private Class<?> owner;
  private KafkaBroker broker;
  private LocalKafkaBroker dedicated;
  private Admin admin;

  private RelayHarness(boolean dedicatedBroker, ConfigOverride... overrides) {
    this.dedicatedBroker = dedicatedBroker;
    relays.add(relay("dw.", overrides));
  }

  /** A relay on the broker the whole test JVM shares; tests isolate themselves by topic. */
  static RelayHarness onSharedKafka(ConfigOverride... overrides) {
    return new RelayHarness(false, overrides);
  }

  /** A relay on a broker of the class's own, which its tests may stop, kill and restart. */
  static RelayHarness onDedicatedKafka(ConfigOverride... overrides) {
    return new RelayHarness(true, overrides);
  }

  /**
   * Adds a second relay on the same schema and broker. Dropwizard passes overrides as system
   * properties, so two apps in one JVM need prefixes of their own: build this one's overrides with
   * {@code ConfigOverride.config("second.", key, value)}.
   */
  RelayHarness withSecondRelay(ConfigOverride... overrides) {
    if (relays.size() > 1) {
      throw new IllegalStateException("The harness runs at most two relays");
    }
    relays.add(relay(SECOND_PREFIX, overrides));
    return this;
  }

  private DropwizardAppExtension<RelayConfiguration> relay(String prefix, ConfigOverride... extra) {
    List<ConfigOverride> overrides = new ArrayList<>();
    overrides.add(
        ConfigOverride.config(
            prefix,
            "database.url",
            () -> postgres.jdbcUrl() + "&ApplicationName=" + applicationName()));
    overrides.add(ConfigOverride.config(prefix, "kafka.bootstrapServers", this::bootstrapServers));
    overrides.addAll(List.of(extra));
    return new DropwizardAppExtension<>(
        RelayApplication.class,
        ResourceHelpers.resourceFilePath("relay-test.yml"),
        prefix,
        overrides.toArray(ConfigOverride[]::new));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      return; // a @Nested class inherits the harness and shares the enclosing class's relays
    }
    owner = context.getRequiredTestClass();
    postgres.beforeAll(context);
    if (dedicatedBroker) {
      dedicated = TestKafka.startDedicated();
      broker = dedicated;
    } else {
      broker = TestKafka.shared();
    }
    for (DropwizardAppExtension<RelayConfiguration> relay : relays) {
      relay.before();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (context.getRequiredTestClass() != owner) {
      return;
    }
    owner = null;
    try {
      for (int i = relays.size() - 1; i >= 0; i--) {
        relays.get(i).after();
      }
    } finally {
      try {
        if (admin != null) {
          admin.close(Duration.ofSeconds(5));
          admin = null;
        }
        if (dedicated != null) {
          dedicated.close();
          dedicated = null;
        }
      } finally {
        postgres.afterAll(context);
      }
    }
  }

  PostgresExtension postgres() {
    return postgres;
  }

  DropwizardAppExtension<RelayConfiguration> relay() {
    return relays.get(0);
  }

  DropwizardAppExtension<RelayConfiguration> secondRelay() {
    return relays.get(1);
  }

  /** The name the relays' connections carry in {@code pg_stat_activity}, unique to this class. */
  String applicationName() {
    return "outbox-relay-" + postgres.schema();
  }

  /** The dedicated broker, to stop, kill or restart; only with {@link #onDedicatedKafka}. */
  LocalKafkaBroker dedicatedBroker() {
    if (!dedicatedBroker) {
      throw new IllegalStateException("The shared broker is not this class's to stop");
    }
    return dedicated;
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** An admin client for the class's lifetime; do not close it. */
  synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }
    return admin;
  }

  /** See {@link KafkaClients#createTopic}. */
  String createTopic(String prefix, int partitions) {
    return KafkaClients.createTopic(admin(), prefix, partitions);
  }

  /** See {@link KafkaClients#consume}. */
  List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expectedCount, Duration timeout) {
    return KafkaClients.consume(bootstrapServers(), topic, expectedCount, timeout);
  }
}
