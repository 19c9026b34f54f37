package io.github.outboxrelay.relay.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProducerSettingsTest {

  private static Properties effective(Map<String, String> overrides, boolean allowUnsafe) {
    return ProducerSettings.effective("broker:9092", overrides, allowUnsafe);
  }

  @Test
  void defaultsKeepTheDeliveryGuarantee() {
    Properties properties = effective(Map.of(), false);

    assertThat(properties)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("max.block.ms", "5000")
        .containsEntry("delivery.timeout.ms", "30000")
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry(
            "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
  }

  @Test
  void harmlessOverridesAndSecurityPropertiesPassThrough() {
    Properties properties =
        effective(
            Map.of(
                "linger.ms", "20",
                "compression.type", "zstd",
                "security.protocol", "SASL_SSL",
                "acks", "-1"),
            false);

    assertThat(properties)
        .containsEntry("linger.ms", "20")
        .containsEntry("compression.type", "zstd")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("acks", "-1");
  }

  @ParameterizedTest
  @CsvSource({
    "acks, 1, acks must be all",
    "acks, 0, acks must be all",
    "enable.idempotence, false, duplicate and reorder",
    "max.in.flight.requests.per.connection, 6, at most 5 in-flight",
    "retries, 0, first transient broker error",
    "partitioner.class, org.apache.kafka.clients.producer.RoundRobinPartitioner, lose their order",
    "partitioner.ignore.keys, true, lose their order",
    "partitioner.ignore.keys, TRUE, lose their order",
    "interceptor.classes, com.example.Rewriter, change records' keys"
  })
  void overridesThatWeakenDeliveryAreRefusedByKey(String key, String value, String reason) {
    assertThatThrownBy(() -> effective(Map.of(key, value), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kafka.producer." + key + "=" + value)
        .hasMessageContaining(reason)
        .hasMessageContaining("kafka.allowUnsafeProducerOverrides");
  }

  @Test
  void weakeningOverridesAreAcceptedWhenExplicitlyAllowed() {
    assertThat(effective(Map.of("acks", "1"), true)).containsEntry("acks", "1");
  }

  @ParameterizedTest
  @CsvSource({"bootstrap.servers", "key.serializer", "value.serializer", "transactional.id"})
  void propertiesTheRelayManagesCannotBeOverridden(String key) {
    assertThatThrownBy(() -> effective(Map.of(key, "x"), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kafka.producer." + key + " cannot be set");
  }

  @ParameterizedTest
  @CsvSource({
    "delivery.timeout.ms, 2147483647, 600000",
    "request.timeout.ms, 2147483647, 300000",
    "max.block.ms, 9223372036854775807, 60000"
  })
  void waitsBeyondTheRelaysBoundsAreRefusedByKey(String key, String value, String bound) {
    assertThatThrownBy(() -> effective(Map.of(key, value), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kafka.producer." + key + "=" + value)
        .hasMessageContaining("limit of " + bound + " ms");
  }

  @ParameterizedTest
  @CsvSource({
    "linger.ms, abc",
    "delivery.timeout.ms, 1.5",
    "batch.size, -1",
    "compression.type, brotli",
    "enable.idempotence, yes"
  })
  void valuesKafkaWouldRejectAreRefusedByKey(String key, String value) {
    assertThatThrownBy(() -> effective(Map.of(key, value), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kafka.producer: ")
        .hasMessageContaining(key);
  }

  @Test
  void aDeliveryTimeoutShorterThanLingerPlusRequestTimeoutIsRefused() {
    assertThatThrownBy(
            () ->
                effective(
                    Map.of("delivery.timeout.ms", "10000", "request.timeout.ms", "20000"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delivery.timeout.ms=10000 must be at least");
  }

  @Test
  void theAckTimeoutIsTheDeliveryTimeoutPlusAMargin() {
    assertThat(
            ProducerSettings.ackTimeout(effective(Map.of("delivery.timeout.ms", "60000"), false)))
        .isEqualTo(java.time.Duration.ofSeconds(70));
  }
}
