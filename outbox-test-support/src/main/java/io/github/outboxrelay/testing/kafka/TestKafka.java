package io.github.outboxrelay.testing.kafka;

import io.github.outboxrelay.testing.Docker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where integration tests get their Kafka from. Tests never skip for lack of Docker: the broker is,
 * in this order, an external cluster named by {@value #BOOTSTRAP_SERVERS_VARIABLE}, a
 * Testcontainers container when Docker is available, or a {@link LocalKafkaBroker} process.
 */
public final class TestKafka {

  /** Bootstrap servers of an existing cluster to use instead of starting one. */
  public static final String BOOTSTRAP_SERVERS_VARIABLE = "OUTBOX_TEST_KAFKA_BOOTSTRAP_SERVERS";

  /** Docker image for the container, default {@value #DEFAULT_IMAGE}. */
  public static final String IMAGE_VARIABLE = "OUTBOX_TEST_KAFKA_IMAGE";

  public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);

  private static KafkaBroker shared;
  private static RuntimeException sharedFailure;

  private TestKafka() {}

  /**
   * The broker shared by every test in this JVM, created on first use and left running until the
   * JVM exits. Tests must not stop it; they isolate themselves with their own topics.
   *
   * @throws IllegalStateException if no Kafka can be provided; the message says how to provide one
   */
  public static synchronized KafkaBroker shared() {
    if (shared == null && sharedFailure == null) {
      try {
        shared = createShared();
      } catch (RuntimeException e) {
        sharedFailure = e;
      }
    }
    if (sharedFailure != null) {
      // Fail every later caller at once, instead of waiting for another broker start-up to fail.
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    return shared;
  }

  /**
   * Starts a new local broker process owned by the caller, who must {@link LocalKafkaBroker#close()
   * close} it. Use this for tests that stop, kill or restart the broker: the shared broker may be
   * an external cluster or a container, and other tests depend on it. Always a local process,
   * whatever {@link #shared()} would choose.
   *
   * @throws IllegalStateException if the local broker cannot start
   */
  public static LocalKafkaBroker startDedicated() {
    try {
      return LocalKafkaBroker.start();
    } catch (RuntimeException e) {
      throw cannotStartLocal(e);
    }
  }

  private static KafkaBroker createShared() {
    String external = System.getenv(BOOTSTRAP_SERVERS_VARIABLE);
    if (external != null && !external.isBlank()) {
      LOG.info("Using the external Kafka at {} ({})", external, BOOTSTRAP_SERVERS_VARIABLE);
      return () -> external;
    }
    if (Docker.isAvailable()) {
      return startContainer();
    }
    LOG.info("No Docker: starting a local Kafka broker process");
    try {
      return LocalKafkaBroker.start();
    } catch (RuntimeException e) {
      throw cannotStartLocal(e);
    }
  }

  @SuppressWarnings("resource") // stopped by Testcontainers' Ryuk when the JVM exits
  private static KafkaBroker startContainer() {
    String image = System.getenv().getOrDefault(IMAGE_VARIABLE, DEFAULT_IMAGE);
    LOG.info("Starting a Kafka container from {}", image);
    KafkaContainer container =
        new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"));
    try {
      container.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Docker is available but a Kafka container from "
              + image
              + " did not start. Set "
              + IMAGE_VARIABLE
              + " to another apache/kafka image, "
              + BOOTSTRAP_SERVERS_VARIABLE
              + " to an existing cluster, or "
              + Docker.USE_DOCKER_VARIABLE
              + "=false to use a local broker process instead. Cause: "
              + e.getMessage(),
          e);
    }
    String bootstrapServers = container.getBootstrapServers();
    LOG.info("Kafka container ready at {}", bootstrapServers);
    return () -> bootstrapServers;
  }

  private static IllegalStateException cannotStartLocal(RuntimeException cause) {
    return new IllegalStateException(
        "Cannot start a local Kafka broker. Provide Kafka in one of these ways: set "
            + BOOTSTRAP_SERVERS_VARIABLE
            + " to an existing cluster's bootstrap servers; or run a Docker engine (Testcontainers"
            + " starts "
            + DEFAULT_IMAGE
            + ", override with "
            + IMAGE_VARIABLE
            + "); or build outbox-test-support with Maven so the broker jars"
            + " (org.apache.kafka:kafka_2.13) are resolved. Cause: "
            + cause.getMessage(),
        cause);
  }
}
