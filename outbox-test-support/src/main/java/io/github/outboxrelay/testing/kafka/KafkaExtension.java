package io.github.outboxrelay.testing.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class the {@linkplain TestKafka#shared() shared broker} and the clients it needs:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
 * }</pre>
 *
 * <p>As a static field it lives for the class; as an instance field (where JUnit does not call
 * class-level callbacks) it lives for each test. Either way its {@link Admin} is closed at the end.
 * Isolate tests with {@link #createTopic}: the broker is shared by the whole test JVM.
 */
public final class KafkaExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private KafkaBroker broker;
  private Admin admin;
  private boolean classScoped;

  @Override
  public void beforeAll(ExtensionContext context) {
    classScoped = true;
    broker(); // fail here, once for the class, if there is no Kafka
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    broker();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!classScoped) {
      closeAdmin();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    closeAdmin();
  }

  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** An admin client for this extension's lifetime; do not close it. */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }
    return admin;
  }

  /** See {@link KafkaClients#createTopic}. */
  public String createTopic(String prefix, int partitions) {
    return KafkaClients.createTopic(admin(), prefix, partitions);
  }

  /** See {@link KafkaClients#producerProperties}. */
  public Properties producerProperties() {
    return KafkaClients.producerProperties(bootstrapServers());
  }

  /** See {@link KafkaClients#consumerProperties}. */
  public Properties consumerProperties(String groupId) {
    return KafkaClients.consumerProperties(bootstrapServers(), groupId);
  }

  /** See {@link KafkaClients#consume}. */
  public List<ConsumerRecord<byte[], byte[]>> consume(
      String topic, int expectedCount, Duration timeout) {
    return KafkaClients.consume(bootstrapServers(), topic, expectedCount, timeout);
  }

  private synchronized KafkaBroker broker() {
    if (broker == null) {
      broker = TestKafka.shared();
    }
    return broker;
  }

  private synchronized void closeAdmin() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }
}
