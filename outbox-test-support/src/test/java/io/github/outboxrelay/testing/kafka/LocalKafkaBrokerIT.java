package io.github.outboxrelay.testing.kafka;

import static io.github.outboxrelay.testing.kafka.KafkaFixtureIT.bytes;
import static io.github.outboxrelay.testing.kafka.KafkaFixtureIT.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stop, crash and restart a dedicated broker; one broker for the class, running between tests. */
class LocalKafkaBrokerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static LocalKafkaBroker broker;
  private static Admin admin;

  @BeforeAll
  static void startBroker() {
    broker = TestKafka.startDedicated();
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  @AfterAll
  static void closeBroker() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void leaveTheBrokerRunning() {
    if (!broker.isRunning()) {
      broker.restart();
    }
  }

  @Test
  void gracefulStopAndStartKeepsRecordsAndAddress() throws Exception {
    String topic = KafkaClients.createTopic(admin, "graceful", 1);
    String address = broker.bootstrapServers();
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      send(producer, topic, "before", 5);

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.restart();

      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.bootstrapServers()).isEqualTo(address);
      send(producer, topic, "after", 5);
    }

    assertThat(values(KafkaClients.consume(address, topic, 10, TIMEOUT)))
        .containsExactly(
            "before-0",
            "before-1",
            "before-2",
            "before-3",
            "before-4",
            "after-0",
            "after-1",
            "after-2",
            "after-3",
            "after-4");
  }

  @Test
  void comesBackAfterSigkillWithAcknowledgedRecords() throws Exception {
    String topic = KafkaClients.createTopic(admin, "crash", 1);
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      send(producer, topic, "acked", 5);
    }

    broker.kill();
    assertThat(broker.isRunning()).isFalse();
    broker.restart();

    assertThat(values(KafkaClients.consume(broker.bootstrapServers(), topic, 5, TIMEOUT)))
        .containsExactly("acked-0", "acked-1", "acked-2", "acked-3", "acked-4");
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      send(producer, topic, "later", 1);
    }
    assertThat(KafkaClients.consume(broker.bootstrapServers(), topic, 6, TIMEOUT)).hasSize(6);
  }

  @Test
  void producerCannotSendWhileStoppedAndRecoversAfterRestart() {
    String topic = KafkaClients.createTopic(admin, "stopped", 1);
    broker.stop();

    try (KafkaProducer<byte[], byte[]> producer =
        producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000))) {
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes("while-down"));
      assertThatThrownBy(() -> producer.send(record).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TimeoutException.class);

      broker.restart();

      await().atMost(TIMEOUT).untilAsserted(() -> producer.send(record).get(5, TimeUnit.SECONDS));
    }
    assertThat(KafkaClients.consume(broker.bootstrapServers(), topic, 1, TIMEOUT)).hasSize(1);
  }

  @Test
  void failedStartQuotesTheBrokerError() throws Exception {
    broker.stop();
    int port = Integer.parseInt(broker.bootstrapServers().substring("127.0.0.1:".length()));

    try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(squatter.isBound()).isTrue();
      assertThatThrownBy(broker::restart)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("Address already in use");
    }
    assertThat(broker.isRunning()).isFalse();
  }

  @Test
  void brokerHaltsWhenTheJvmThatStartedItIsKilled() throws Exception {
    Process parent =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                OrphanParentMain.class.getName())
            .redirectErrorStream(true)
            .start();
    ProcessHandle orphan;
    Path dataDir;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      orphan = ProcessHandle.of(Long.parseLong(valueOf(out, "broker-pid="))).orElseThrow();
      dataDir = Path.of(valueOf(out, "data-dir="));

      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
      parent.waitFor();
    }
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> !orphan.isAlive());
    } finally {
      orphan.destroyForcibly();
      deleteRecursively(dataDir);
    }
  }

  private static String valueOf(BufferedReader out, String prefix) throws Exception {
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("The parent JVM did not print " + prefix + ":\n" + seen);
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
    Properties properties = KafkaClients.producerProperties(broker.bootstrapServers());
    properties.putAll(overrides);
    return new KafkaProducer<>(properties);
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, String prefix, int count)
      throws Exception {
    for (int i = 0; i < count; i++) {
      producer
          .send(new ProducerRecord<>(topic, bytes(prefix + "-" + i)))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> string(r.value())).toList();
  }
}
