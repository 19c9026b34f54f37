package io.github.outboxrelay.sample.consumer;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The shipping projection's Kafka consumer. Keys (defaults): {@code enabled} (false), {@code
 * bootstrapServers} (required when enabled), {@code groupId} ({@code shipping-projection}), {@code
 * topic} ({@code outbox.event.order}).
 */
public class ConsumerFactory {

  private boolean enabled;
  private String bootstrapServers;
  @NotBlank private String groupId = "shipping-projection";
  @NotBlank private String topic = "outbox.event.order";

  @JsonProperty
  public boolean isEnabled() {
    return enabled;
  }

  @JsonProperty
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @JsonProperty
  public String getBootstrapServers() {
    return bootstrapServers;
  }

  @JsonProperty
  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  @JsonProperty
  public String getGroupId() {
    return groupId;
  }

  @JsonProperty
  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  @JsonProperty
  public String getTopic() {
    return topic;
  }

  @JsonProperty
  public void setTopic(String topic) {
    this.topic = topic;
  }

  @io.dropwizard.validation.ValidationMethod(
      message = "consumer.bootstrapServers is required when the consumer is enabled")
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isBootstrapServersGivenWhenEnabled() {
    return !enabled || (bootstrapServers != null && !bootstrapServers.isBlank());
  }

  /**
   * Offsets are committed by hand, after the database transaction that applied the records: a crash
   * in between re-delivers records whose ids the projection already holds, never loses one.
   */
  public Properties properties() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return properties;
  }
}
