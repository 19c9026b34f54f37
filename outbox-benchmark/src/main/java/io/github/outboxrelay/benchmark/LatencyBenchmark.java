package io.github.outboxrelay.benchmark;

import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark 2: writers commit events at a fixed rate through the outbox writer; a consumer in the
 * same JVM records, per event, the time from the writer's commit returning to the record arriving
 * (one clock). Run with the relay's NOTIFY wake-up on and off, and with Debezium in its place.
 */
final class LatencyBenchmark {

  record Result(
      int rate,
      String mode,
      long events,
      long unmatched,
      double p50,
      double p95,
      double p99,
      double max,
      Breakdown breakdown) {}

  /**
   * Where the time goes, per event: from the writer's commit to the relay's send (the record's
   * CreateTime, stamped by the relay's producer: waiting for a wake-up, claiming, building the
   * record), and from that send to the consumer receiving it (Kafka's acks, replication and fetch).
   * Wall-clock milliseconds, so both JVMs read the same clock; p50 and p99 in ms.
   */
  record Breakdown(
      double commitToSentP50,
      double commitToSentP99,
      double sentToReceivedP50,
      double sentToReceivedP99) {}

  /** When an event was committed (or sent): by the monotonic clock and by the wall clock. */
  private record Stamp(long nanos, long wallMillis) {
    static Stamp now() {
      return new Stamp(System.nanoTime(), System.currentTimeMillis());
    }
  }

  /** An event received: when, and the record's CreateTime (the sender's wall clock). */
  private record Receipt(Stamp received, long createTimeMillis) {}

  /** One event's latency and its two wall-clock parts. */
  private record Arrival(long nanos, long commitToSentMillis, long sentToReceivedMillis) {
    static Arrival of(Stamp committed, Receipt receipt) {
      return new Arrival(
          Math.max(0, receipt.received().nanos() - committed.nanos()),
          receipt.createTimeMillis() - committed.wallMillis(),
          receipt.received().wallMillis() - receipt.createTimeMillis());
    }
  }

  /**
   * One round at each rate: Kafka alone, the relay in each NOTIFY mode and Debezium (if it runs),
   * the relay first in odd rounds and Debezium first in even ones, as in the drains, and the NOTIFY
   * modes in the opposite order in even rounds, so that no mode always follows the same run.
   */
  static List<Result> round(
      BenchmarkSettings settings,
      OutboxData data,
      String bootstrapServers,
      int number,
      boolean withDebezium)
      throws Exception {
    Duration duration = Duration.ofSeconds(settings.latencySeconds());
    List<Carrier> carriers = new ArrayList<>();
    settings.latencyNotifyModes().forEach(notify -> carriers.add(Carrier.relay(notify)));
    if (number % 2 == 0) {
      java.util.Collections.reverse(carriers);
    }
    if (withDebezium) {
      carriers.add(number % 2 == 1 ? carriers.size() : 0, Carrier.debezium());
    }
    List<Result> results = new ArrayList<>();
    for (int rate : settings.latencyRates()) {
      Progress.say(
          "latency, round %d: Kafka alone, %,d events/s for %d s",
          number, rate, settings.latencySeconds());
      results.add(runKafkaAlone(settings, bootstrapServers, rate, duration));
      for (Carrier carrier : carriers) {
        Progress.say(
            "latency, round %d: %s, %,d events/s for %d s",
            number, carrier.mode(), rate, settings.latencySeconds());
        data.settle(); // what the run before left (a replication slot's sender, dirty pages) ends
        Result result = run(settings, data, bootstrapServers, rate, carrier, duration);
        Progress.say(
            "  p50 %.1f ms, p99 %.1f ms over %,d events; commit to sent p50 %.0f / p99 %.0f ms,"
                + " sent to received p50 %.0f / p99 %.0f ms",
            result.p50(),
            result.p99(),
            result.events(),
            result.breakdown().commitToSentP50(),
            result.breakdown().commitToSentP99(),
            result.breakdown().sentToReceivedP50(),
            result.breakdown().sentToReceivedP99());
        results.add(result);
      }
    }
    return results;
  }

  private static final int WRITERS = 8;
  private static final Duration WARM_UP = Duration.ofSeconds(5);

  private LatencyBenchmark() {}

  static Result run(
      BenchmarkSettings settings,
      OutboxData data,
      String bootstrapServers,
      int rate,
      Carrier carrier,
      Duration duration)
      throws Exception {
    data.refill(0);
    Map<UUID, Stamp> committedAt = new ConcurrentHashMap<>();
    Map<UUID, Receipt> receivedEarly = new ConcurrentHashMap<>();
    List<Arrival> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean consuming = new AtomicBoolean(true);
    // Several events per transaction at high rates: one commit per millisecond at most.
    int perTransaction = Math.max(1, rate / 1000);
    long periodMicros = 1_000_000L * perTransaction / rate;
    try (AutoCloseable started = carrier.start(settings, data, bootstrapServers)) {
      Thread consumer =
          new Thread(
              () -> consume(bootstrapServers, committedAt, receivedEarly, latencies, consuming),
              "latency-consumer");
      consumer.start();
      ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
      ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
      OutboxWriter writer = OutboxWriter.builder().build();
      List<Connection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
      ThreadLocal<Connection> connections =
          ThreadLocal.withInitial(
              () -> {
                try {
                  Connection connection = data.connect();
                  connection.setAutoCommit(false);
                  opened.add(connection);
                  return connection;
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      long measureFrom = System.nanoTime() + WARM_UP.toNanos();
      AtomicLong written = new AtomicLong();
      byte[] payload = "x".repeat(settings.payloadBytes()).getBytes(StandardCharsets.UTF_8);
      pacer.scheduleAtFixedRate(
          () ->
              writers.execute(
                  () -> {
                    List<OutboxEvent> events = new ArrayList<>(perTransaction);
                    for (int i = 0; i < perTransaction; i++) {
                      events.add(
                          OutboxEvent.builder()
                              .aggregateType("order")
                              .aggregateId(
                                  "order-" + (written.getAndIncrement() % settings.aggregates()))
                              .eventType("OrderPlaced")
                              .topic(BenchmarkSettings.TOPIC)
                              .payload(payload)
                              .build());
                    }
                    try {
                      // One connection per writer thread, as a pool would give: opening one per
                      // transaction would cost PostgreSQL a process fork per commit.
                      Connection connection = connections.get();
                      writer.writeAll(connection, events);
                      connection.commit();
                      Stamp now = Stamp.now();
                      if (now.nanos() < measureFrom) {
                        return; // warm-up: the JVMs compile their hot paths
                      }
                      for (OutboxEvent event : events) {
                        committedAt.put(event.id(), now);
                        // Arrived before this thread got here: the latency is below measurement.
                        Receipt early = receivedEarly.remove(event.id());
                        if (early != null && committedAt.remove(event.id()) != null) {
                          latencies.add(Arrival.of(now, early));
                        }
                      }
                    } catch (Exception e) {
                      Progress.say("writer failed: %s", e);
                    }
                  }),
          0,
          periodMicros,
          TimeUnit.MICROSECONDS);
      TimeUnit.MILLISECONDS.sleep(WARM_UP.plus(duration).toMillis());
      pacer.shutdownNow();
      writers.shutdown();
      writers.awaitTermination(30, TimeUnit.SECONDS);
      for (Connection connection : opened) {
        connection.close();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!committedAt.isEmpty() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      consuming.set(false);
      consumer.join(10_000);
      return result(rate, carrier.mode(), latencies, committedAt.size());
    }
  }

  /**
   * The floor: the same producer settings sending the same records straight to Kafka at the same
   * rate (flushed at once, as the relay flushes each batch), timed from send to receipt.
   */
  static Result runKafkaAlone(
      BenchmarkSettings settings, String bootstrapServers, int rate, Duration duration)
      throws Exception {
    Map<UUID, Stamp> sentAt = new ConcurrentHashMap<>();
    Map<UUID, Receipt> receivedEarly = new ConcurrentHashMap<>();
    List<Arrival> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean consuming = new AtomicBoolean(true);
    Thread consumer =
        new Thread(
            () -> consume(bootstrapServers, sentAt, receivedEarly, latencies, consuming),
            "latency-consumer");
    consumer.start();
    io.github.outboxrelay.relay.KafkaFactory factory =
        new io.github.outboxrelay.relay.KafkaFactory();
    factory.setBootstrapServers(bootstrapServers);
    factory.setProducer(Map.of());
    byte[] payload = "x".repeat(settings.payloadBytes()).getBytes(StandardCharsets.UTF_8);
    AtomicLong sent = new AtomicLong();
    long measureFrom = System.nanoTime() + WARM_UP.toNanos();
    try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(factory.producerProperties())) {
      ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
      pacer.scheduleAtFixedRate(
          () -> {
            UUID id = UUID.randomUUID();
            long n = sent.getAndIncrement();
            org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record =
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    BenchmarkSettings.TOPIC,
                    ("order-" + (n % settings.aggregates())).getBytes(StandardCharsets.UTF_8),
                    payload);
            record.headers().add("id", id.toString().getBytes(StandardCharsets.UTF_8));
            Stamp now = Stamp.now();
            if (now.nanos() >= measureFrom) {
              sentAt.put(id, now);
            }
            producer.send(record);
            producer.flush();
          },
          0,
          1_000_000L / rate,
          TimeUnit.MICROSECONDS);
      TimeUnit.MILLISECONDS.sleep(WARM_UP.plus(duration).toMillis());
      pacer.shutdownNow();
      pacer.awaitTermination(10, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    consuming.set(false);
    consumer.join(10_000);
    return result(rate, "Kafka alone", latencies, sentAt.size());
  }

  private static Result result(int rate, String mode, List<Arrival> arrivals, long unmatched) {
    List<Arrival> copy;
    synchronized (arrivals) {
      copy = List.copyOf(arrivals);
    }
    long[] sorted = sorted(copy, Arrival::nanos);
    long[] commitToSent = sorted(copy, arrival -> arrival.commitToSentMillis() * 1_000_000);
    long[] sentToReceived = sorted(copy, arrival -> arrival.sentToReceivedMillis() * 1_000_000);
    return new Result(
        rate,
        mode,
        sorted.length,
        unmatched,
        percentile(sorted, 0.50),
        percentile(sorted, 0.95),
        percentile(sorted, 0.99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
        new Breakdown(
            percentile(commitToSent, 0.50),
            percentile(commitToSent, 0.99),
            percentile(sentToReceived, 0.50),
            percentile(sentToReceived, 0.99)));
  }

  private static long[] sorted(
      List<Arrival> arrivals, java.util.function.ToLongFunction<Arrival> part) {
    long[] values = arrivals.stream().mapToLong(part).toArray();
    Arrays.sort(values);
    return values;
  }

  private static void consume(
      String bootstrapServers,
      Map<UUID, Stamp> committedAt,
      Map<UUID, Receipt> receivedEarly,
      List<Arrival> latencies,
      AtomicBoolean consuming) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(BenchmarkSettings.TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve the end offsets before writers start
      while (consuming.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          Receipt receipt = new Receipt(Stamp.now(), record.timestamp());
          Header header = record.headers().lastHeader("id");
          if (header == null) {
            continue;
          }
          UUID id = UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
          Stamp committed = committedAt.remove(id);
          if (committed != null) {
            latencies.add(Arrival.of(committed, receipt));
          } else {
            receivedEarly.put(id, receipt);
          }
        }
      }
    }
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
  }
}
