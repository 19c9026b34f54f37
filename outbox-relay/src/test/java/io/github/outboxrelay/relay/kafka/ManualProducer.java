package io.github.outboxrelay.relay.kafka;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A producer whose sends the test answers one by one ({@link #completeNext()}, {@link #errorNext});
 * unlike {@link MockProducer}'s, its {@code flush()} answers nothing, because the publisher flushes
 * on a thread of its own after every batch.
 */
public final class ManualProducer extends MockProducer<byte[], byte[]> {

  public ManualProducer() {
    super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private Predicate<ProducerRecord<byte[], byte[]>> refused = record -> false;
  private RuntimeException refusal;

  private int closes;

  @Override
  public synchronized void flush() {}

  /**
   * Only counts the close, so that a test's one producer also stands for the new producer that the
   * publisher makes after it discarded one.
   */
  @Override
  public synchronized void close(Duration timeout) {
    closes++;
  }

  public synchronized int closes() {
    return closes;
  }

  /** From now on, {@code send()} throws {@code error} for the records {@code test} picks. */
  public synchronized void throwOnSend(
      Predicate<ProducerRecord<byte[], byte[]>> test, RuntimeException error) {
    this.refused = test;
    this.refusal = error;
  }

  /**
   * From now on, {@code send()} answers the records {@code test} picks with {@code error} through
   * the callback before it returns, as KafkaProducer does for an error it finds while taking the
   * record (no metadata within max.block.ms, a record too large).
   */
  public synchronized void failInSend(
      Predicate<ProducerRecord<byte[], byte[]>> test, RuntimeException error) {
    this.failedInSend = test;
    this.failureInSend = error;
  }

  private Predicate<ProducerRecord<byte[], byte[]>> failedInSend = record -> false;
  private RuntimeException failureInSend;

  @Override
  public synchronized Future<RecordMetadata> send(
      ProducerRecord<byte[], byte[]> record, Callback callback) {
    if (refused.test(record)) {
      throw refusal;
    }
    if (failedInSend.test(record)) {
      callback.onCompletion(null, failureInSend);
      return CompletableFuture.failedFuture(failureInSend);
    }
    return super.send(record, callback);
  }

  /** Answers every record sent so far with an acknowledgement. */
  public synchronized void completeAll() {
    while (completeNext()) {
      // each call answers the oldest unanswered record
    }
  }
}
