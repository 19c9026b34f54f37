package io.github.outboxrelay.testing.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client helpers for any {@link KafkaBroker}, for tests that manage their own broker (see {@link
 * TestKafka#startDedicated()}); {@link KafkaExtension} offers the same against the shared one.
 * Everything is bytes: the outbox carries opaque payloads, and tests assert on exact bytes.
 */
public final class KafkaClients {

  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private KafkaClients() {}

  /** Producer settings with the delivery guarantees the relay uses: acks=all, idempotence. */
  public static Properties producerProperties(String bootstrapServers) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return properties;
  }

  /**
   * Consumer settings that read a topic from its start and commit nothing unless told to. Reads
   * committed records only, as a downstream consumer of the outbox would.
   */
  public static Properties consumerProperties(String bootstrapServers, String groupId) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (groupId != null) {
      properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return properties;
  }

  /**
   * Creates a topic named {@code prefix + "-" + random suffix}, so tests sharing a broker never see
   * each other's records, and waits until every partition has a leader (a producer or consumer
   * started right after creation would otherwise race the metadata).
   *
   * @return the topic's name
   */
  public static String createTopic(Admin admin, String prefix, int partitions) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      while (!hasLeaders(admin, name, partitions)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Topic " + name + " has no leaders after " + TOPIC_TIMEOUT);
        }
        Thread.sleep(50);
      }
      return name;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
  }

  private static boolean hasLeaders(Admin admin, String topic, int partitions)
      throws InterruptedException {
    try {
      Map<String, TopicDescription> topics =
          admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
      TopicDescription description = topics.get(topic);
      return description.partitions().size() == partitions
          && description.partitions().stream()
              .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (ExecutionException | TimeoutException e) {
      return false; // the broker's metadata has not caught up yet
    }
  }

  /**
   * Reads all partitions of {@code topic} from the beginning until at least {@code expectedCount}
   * records arrived or {@code timeout} passed, and returns what it read (in order within each
   * partition). It never fails for too few records: the test asserts the count, which gives a
   * better message. Uses no consumer group, so nothing is committed and no rebalance is awaited.
   */
  public static List<ConsumerRecord<byte[], byte[]>> consume(
      String bootstrapServers, String topic, int expectedCount, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerProperties(bootstrapServers, null))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long remaining;
      while (records.size() < expectedCount && (remaining = deadline - System.nanoTime()) > 0) {
        Duration poll = Duration.ofNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(200)));
        consumer.poll(poll).forEach(records::add);
      }
    }
    return records;
  }
}
