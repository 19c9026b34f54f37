package io.github.outboxrelay.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.github.outboxrelay.relay.health.KafkaHealthCheck;
import io.github.outboxrelay.relay.kafka.AdminTopicCheck;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import io.github.outboxrelay.relay.kafka.ProducerSettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The {@code kafka} section: the cluster, the producer (any producer property passes through, over
 * the relay's defaults in {@link ProducerSettings}) and the admin client. Keys and defaults: the
 * README's "Relay configuration" table.
 */
@SafeProducerOverrides
public class KafkaFactory {

  private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration ADMIN_CLOSE = Duration.ofSeconds(2);

  @NotBlank private String bootstrapServers;
  @NotNull private Map<String, String> producer = new LinkedHashMap<>();
  private boolean allowUnsafeProducerOverrides;

  @JsonProperty
  public String getBootstrapServers() {
    return bootstrapServers;
  }

  @JsonProperty
  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  @JsonProperty
  public Map<String, String> getProducer() {
    return producer;
  }

  @JsonProperty
  public void setProducer(Map<String, String> producer) {
    this.producer = producer;
  }

  @JsonProperty
  public boolean isAllowUnsafeProducerOverrides() {
    return allowUnsafeProducerOverrides;
  }

  @JsonProperty
  public void setAllowUnsafeProducerOverrides(boolean allowUnsafeProducerOverrides) {
    this.allowUnsafeProducerOverrides = allowUnsafeProducerOverrides;
  }

  /** The effective producer properties; fails naming the key if an override weakens delivery. */
  public Properties producerProperties() {
    return ProducerSettings.effective(bootstrapServers, producer, allowUnsafeProducerOverrides);
  }

  /** How long a sent batch waits for Kafka's answers: the delivery timeout plus a margin. */
  public Duration ackTimeout() {
    return ProducerSettings.ackTimeout(producerProperties());
  }

  /**
   * The publisher (its producer closes with it, when the relay stops), the admin client it asks
   * about topics, and the {@code kafka} health check on that admin client.
   */
  public KafkaPublisher build(Environment environment) {
    Admin admin = Admin.create(adminProperties());
    // Managed before the relay, so closed after it: the publisher asks it about topics.
    environment.lifecycle().manage(new AutoCloseableManager(() -> admin.close(ADMIN_CLOSE)));
    environment.healthChecks().register("kafka", new KafkaHealthCheck(admin));
    return new KafkaPublisher(
        () -> new KafkaProducer<>(producerProperties()),
        ackTimeout(),
        new AdminTopicCheck(admin, TOPIC_CHECK_TIMEOUT));
  }

  /**
   * Properties for an admin client (the health check) that shares the producer's connection and
   * security settings.
   */
  public Properties adminProperties() {
    Properties properties = new Properties();
    Properties producerProperties = producerProperties();
    for (String key : AdminClientConfig.configNames()) {
      if (producerProperties.containsKey(key)) {
        properties.put(key, producerProperties.get(key));
      }
    }
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-relay-health");
    return properties;
  }
}
