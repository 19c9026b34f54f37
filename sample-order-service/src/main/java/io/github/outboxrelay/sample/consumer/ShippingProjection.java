package io.github.outboxrelay.sample.consumer;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.github.outboxrelay.sample.api.events.OrderCancelled;
import io.github.outboxrelay.sample.api.events.OrderPlaced;
import io.github.outboxrelay.sample.core.TransactionRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An idempotent consumer: builds the shipping projection from order events. Delivery is at least
 * once, so each event's id is recorded in {@code processed_events} in the same transaction as its
 * effect; a re-delivered id is counted and skipped. Kafka offsets are committed only after that
 * transaction commits. The effect is therefore exactly once.
 */
public final class ShippingProjection implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(ShippingProjection.class);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final TransactionRunner transactions;
  private final ShippingRepository repository = new ShippingRepository();
  private final EventReader reader;
  private final Meter applied;
  private final Meter duplicates;
  private final Meter rejected;
  private final Timer orderToProjection;
  private volatile boolean running;
  private Thread thread;

  public ShippingProjection(
      Consumer<byte[], byte[]> consumer,
      String topic,
      TransactionRunner transactions,
      ObjectMapper json,
      MetricRegistry metrics) {
    this.consumer = consumer;
    this.topic = topic;
    this.transactions = transactions;
    this.reader = new EventReader(json);
    this.applied = metrics.meter("shipping.events.applied");
    this.duplicates = metrics.meter("shipping.events.duplicates");
    this.rejected = metrics.meter("shipping.events.rejected");
    this.orderToProjection = metrics.timer("shipping.order-to-projection");
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::consume, "shipping-projection");
    thread.start();
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  private void consume() {
    try {
      consumer.subscribe(List.of(topic));
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          handle(records);
        }
      }
    } catch (WakeupException e) {
      // stopping
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void handle(ConsumerRecords<byte[], byte[]> records) {
    try {
      Outcome outcome = transactions.inTransaction(connection -> applyAll(connection, records));
      consumer.commitSync();
      applied.mark(outcome.applied);
      duplicates.mark(outcome.duplicates);
      rejected.mark(outcome.rejected);
      Instant now = Instant.now();
      for (Instant placedAt : outcome.placedAt) {
        orderToProjection.update(Duration.between(placedAt, now));
      }
    } catch (SQLException | RuntimeException e) {
      if (e instanceof WakeupException wakeup) {
        throw wakeup;
      }
      // Nothing of this batch committed: read it again after a pause.
      LOG.warn("Could not apply {} records ({}); retrying", records.count(), e.getMessage());
      for (TopicPartition partition : records.partitions()) {
        consumer.seek(partition, records.records(partition).get(0).offset());
      }
      pause();
    }
  }

  /** Counts of one batch; built per transaction attempt, so a retried attempt counts once. */
  private static final class Outcome {
    int applied;
    int duplicates;
    int rejected;
    final List<Instant> placedAt = new ArrayList<>();
  }

  /**
   * Applies one poll's records in three round trips: the ids recorded as processed (which tells the
   * re-deliveries apart), then the placements, then the cancellations.
   */
  private Outcome applyAll(Connection connection, ConsumerRecords<byte[], byte[]> records)
      throws SQLException {
    Outcome outcome = new Outcome();
    List<EventReader.Read> reads = new ArrayList<>();
    List<ShippingRepository.Processed> processed = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      EventReader.Read read = reader.read(record);
      if (read.eventId().isEmpty()) {
        LOG.warn("Skipping record {} without a valid id header", record.offset());
        outcome.rejected++;
        continue;
      }
      reads.add(read);
      processed.add(
          new ShippingRepository.Processed(
              read.eventId().get(), read.type(), read.event() == null ? "REJECTED" : "APPLIED"));
    }
    boolean[] fresh = repository.markProcessed(connection, processed);
    List<OrderPlaced> placed = new ArrayList<>();
    List<OrderCancelled> cancelled = new ArrayList<>();
    for (int i = 0; i < reads.size(); i++) {
      Object event = reads.get(i).event();
      if (!fresh[i]) {
        outcome.duplicates++;
      } else if (event instanceof OrderPlaced placement) {
        placed.add(placement);
        outcome.placedAt.add(placement.placedAt());
      } else if (event instanceof OrderCancelled cancellation) {
        cancelled.add(cancellation);
      } else {
        LOG.warn(
            "Rejected event {}: payload unreadable or type unknown", processed.get(i).eventId());
        outcome.rejected++;
      }
    }
    repository.shipmentsPlaced(connection, placed);
    repository.shipmentsCancelled(connection, cancelled);
    outcome.applied = placed.size() + cancelled.size();
    return outcome;
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
