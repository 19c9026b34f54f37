package io.github.outboxrelay.benchmark;

import io.github.outboxrelay.relay.KafkaFactory;
import io.github.outboxrelay.writer.OutboxHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Baseline (a): a plain Kafka producer with the relay's own producer settings sends the same
 * records (keys, 256-byte values, envelope headers) from memory. What Kafka alone allows here: a
 * ceiling, so the broker runs with room ({@link Benchmark#BROKER_JVM_FLAGS}) and the producer is
 * warmed up first.
 */
final class ProducerBaseline {

  private ProducerBaseline() {}

  /** Timed sends after the warm-up; the figure is their median. */
  static final int TIMED_RUNS = 3;

  /**
   * One untimed pass to warm up this JVM and the broker, then {@link #TIMED_RUNS} timed ones, each
   * with a new producer, timed from the first send to the end of the flush.
   */
  static List<Measurement> run(BenchmarkSettings settings, String bootstrapServers) {
    List<ProducerRecord<byte[], byte[]>> records = records(settings);
    KafkaFactory factory = new KafkaFactory();
    factory.setBootstrapServers(bootstrapServers);
    factory.setProducer(Map.of());
    send(factory, records);
    List<Measurement> runs = new ArrayList<>();
    for (int i = 0; i < TIMED_RUNS; i++) {
      runs.add(send(factory, records));
    }
    return runs;
  }

  private static Measurement send(
      KafkaFactory factory, List<ProducerRecord<byte[], byte[]>> records) {
    AtomicLong failures = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(factory.producerProperties())) {
      long hostBefore = HostCpu.ticks();
      long start = System.nanoTime();
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(
            record,
            (metadata, exception) -> {
              if (exception != null) {
                failures.incrementAndGet();
              }
            });
      }
      producer.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failures.get() > 0) {
        throw new IllegalStateException(
            failures.get() + " records failed in the producer baseline");
      }
      double hostCpu =
          HostCpu.secondsBetween(hostBefore, HostCpu.ticks(), PostgresCost.clockTicksPerSecond());
      return new Measurement(records.size(), seconds, hostCpu);
    }
  }

  private static List<ProducerRecord<byte[], byte[]>> records(BenchmarkSettings settings) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(settings.events());
    byte[] type = "OrderPlaced".getBytes(StandardCharsets.UTF_8);
    byte[] aggregateType = "order".getBytes(StandardCharsets.UTF_8);
    String pad = "x".repeat(settings.payloadBytes() - 35);
    for (int i = 0; i < settings.events(); i++) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(
          new RecordHeader(
              OutboxHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
      headers.add(new RecordHeader(OutboxHeaders.TYPE, type));
      headers.add(new RecordHeader(OutboxHeaders.AGGREGATE_TYPE, aggregateType));
      byte[] key = ("order-" + (i % settings.aggregates())).getBytes(StandardCharsets.UTF_8);
      byte[] value =
          String.format(Locale.ROOT, "{\"orderId\":\"%012d\",\"pad\":\"%s\"}", i, pad)
              .getBytes(StandardCharsets.UTF_8);
      records.add(new ProducerRecord<>(BenchmarkSettings.TOPIC, null, key, value, headers));
    }
    return records;
  }
}
