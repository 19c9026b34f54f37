package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.kafka.KafkaClients;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** What the fault-tolerance tests share on top of {@link RelayTestSupport}. */
final class FaultTestSupport {

  /** How long any relay may take to catch up after a fault; generous for slow CI machines. */
  static final Duration CATCH_UP = Duration.ofSeconds(60);

  private FaultTestSupport() {}

  /**
   * Every record of {@code topic} up to the end offsets it has now, duplicates included; call it
   * once the relay has marked everything published, so every acknowledged record is in the log.
   */
  static List<ConsumerRecord<byte[], byte[]>> consumeAll(String bootstrapServers, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaClients.consumerProperties(bootstrapServers, null))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, CATCH_UP).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CATCH_UP);
      await()
          .atMost(CATCH_UP)
          .pollInSameThread() // a consumer is single-threaded
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
              });
    }
    return records;
  }

  static List<UUID> eventIds(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(RelayTestSupport::eventId).toList();
  }

  /** The ids that occur more than once. */
  static Set<UUID> duplicates(Collection<UUID> ids) {
    Set<UUID> seen = new HashSet<>();
    return ids.stream().filter(id -> !seen.add(id)).collect(Collectors.toSet());
  }

  /**
   * Creates a topic with topic-level configs (e.g. {@code max.message.bytes}) and waits until every
   * partition has a leader, as {@link KafkaClients#createTopic} does for plain topics.
   */
  static String createTopic(Admin admin, String prefix, int partitions, Map<String, String> configs)
      throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    admin
        .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
        .all()
        .get(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              TopicDescription description =
                  admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
              return description.partitions().size() == partitions
                  && description.partitions().stream().allMatch(p -> p.leader() != null);
            });
    return name;
  }

  /** Per Kafka key, the event ids in the order they arrived, duplicates included. */
  static Map<String, List<UUID>> idsByKey(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .collect(
            Collectors.groupingBy(
                r -> new String(r.key(), StandardCharsets.UTF_8),
                LinkedHashMap::new,
                Collectors.mapping(RelayTestSupport::eventId, Collectors.toList())));
  }

  /**
   * Per key, the event ids in the order of each one's last copy: what a consumer that lets a later
   * copy win ends with. After a retry this is what stays in write order (README, "Ordering").
   */
  static Map<String, List<UUID>> lastCopiesByKey(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, List<UUID>> lastCopies = new LinkedHashMap<>();
    idsByKey(records)
        .forEach(
            (key, ids) -> {
              List<UUID> order = new ArrayList<>();
              for (UUID id : ids) {
                order.remove(id);
                order.add(id);
              }
              lastCopies.put(key, order);
            });
    return lastCopies;
  }

  /** Per aggregate (the Kafka key), the event ids in the order they were written. */
  static Map<String, List<UUID>> writtenByKey(List<OutboxEvent> events) {
    return events.stream()
        .collect(
            Collectors.groupingBy(
                OutboxEvent::aggregateId,
                LinkedHashMap::new,
                Collectors.mapping(OutboxEvent::id, Collectors.toList())));
  }

  /**
   * Batches the relays sent again (rolled back, or with rows to resend), each of which can deliver
   * events twice: tests that expect no duplicates check this stayed put. On a loaded machine Kafka
   * can fail part of a batch with no fault injected (CI saw a fresh topic's partition stall for the
   * whole delivery timeout), and then duplicates are the documented behaviour.
   */
  @SafeVarargs
  static long retries(DropwizardAppExtension<RelayConfiguration>... relays) {
    long total = 0;
    for (DropwizardAppExtension<RelayConfiguration> relay : relays) {
      total += meter(relay, "outbox.relay.batches.rolled-back");
    }
    return total;
  }

  static long meter(DropwizardAppExtension<RelayConfiguration> relay, String name) {
    return relay.getEnvironment().metrics().meter(name).getCount();
  }

  /**
   * Every event arrived, and the last copy of each key's events came in write order: at least once,
   * in order per key, whatever was sent again in between.
   */
  static void assertEveryEventArrivedInKeyOrder(
      List<ConsumerRecord<byte[], byte[]>> records, List<OutboxEvent> events) {
    assertThat(new HashSet<>(eventIds(records))).isEqualTo(RelayTestSupport.ids(events));
    assertThat(lastCopiesByKey(records)).isEqualTo(writtenByKey(events));
  }

  /** Ends the session that holds the exclusive lease on {@code outbox}, as a crash would. */
  static void terminateLeaseHolder(PostgresExtension postgres) throws Exception {
    assertThat(
            postgres.queryForLong(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype ="
                    + " 'advisory' AND classid = 'outbox'::regclass::oid AND objid = 1"
                    + " AND objsubid = 2 AND granted"))
        .as("lease holders terminated")
        .isEqualTo(1);
  }

  static long publishedCount(PostgresExtension postgres, String topic) throws Exception {
    return postgres.queryForLong(
        "SELECT count(*) FROM " + RelayTestSupport.PUBLISHED + " AND topic = ?", topic);
  }

  /** Rows of {@code topic} that were parked or counted a failed attempt: none, after an outage. */
  static long parkedOrAttempted(PostgresExtension postgres, String topic) throws Exception {
    return postgres.queryForLong(
        "SELECT count(*) FROM outbox WHERE topic = ? AND (parked_at IS NOT NULL OR attempts > 0)",
        topic);
  }

  /**
   * Commits a few events every few milliseconds on a thread of its own, as a busy service would,
   * and remembers the ids of the events whose transaction committed.
   */
  static final class ContinuousWriter implements AutoCloseable {

    private static final int EVENTS_PER_COMMIT = 5;
    private static final int KEYS = 50;

    private final PostgresExtension postgres;
    private final String topic;
    private final Set<UUID> committed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "continuous-writer"));

    private ContinuousWriter(PostgresExtension postgres, String topic) {
      this.postgres = postgres;
      this.topic = topic;
    }

    static ContinuousWriter start(PostgresExtension postgres, String topic) {
      ContinuousWriter writer = new ContinuousWriter(postgres, topic);
      writer.executor.scheduleWithFixedDelay(writer::commitSome, 0, 10, TimeUnit.MILLISECONDS);
      return writer;
    }

    private void commitSome() {
      if (failure.get() != null) {
        return;
      }
      List<OutboxEvent> events = new ArrayList<>(EVENTS_PER_COMMIT);
      for (int i = 0; i < EVENTS_PER_COMMIT; i++) {
        int n = sequence.getAndIncrement();
        events.add(RelayTestSupport.event(topic, "order-" + (n % KEYS), "{\"n\":" + n + "}"));
      }
      try {
        RelayTestSupport.commit(postgres, events);
        committed.addAll(RelayTestSupport.ids(events));
      } catch (Exception | Error e) {
        failure.compareAndSet(null, e);
      }
    }

    /** Counts an event the test committed itself among the committed ones. */
    void include(OutboxEvent event) {
      committed.add(event.id());
    }

    int committedCount() {
      return committed.size();
    }

    /** Stops writing and returns the ids of every committed event. */
    Set<UUID> stop() throws InterruptedException {
      executor.shutdown();
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The writer did not stop");
      }
      if (failure.get() != null) {
        throw new IllegalStateException("The writer failed to commit", failure.get());
      }
      return Set.copyOf(committed);
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
