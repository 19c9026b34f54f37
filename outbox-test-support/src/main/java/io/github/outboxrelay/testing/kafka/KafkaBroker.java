package io.github.outboxrelay.testing.kafka;

/**
 * A Kafka cluster a test can talk to. Tests depend on this rather than on how the broker is
 * provided (an external cluster, a container or a local process), so the same test runs anywhere.
 */
@FunctionalInterface
public interface KafkaBroker {

  /**
   * The {@code bootstrap.servers} value for clients of this broker, e.g. {@code 127.0.0.1:40123}.
   */
  String bootstrapServers();
}
