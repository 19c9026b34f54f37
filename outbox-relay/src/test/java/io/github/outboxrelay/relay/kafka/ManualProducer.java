package io.github.outboxrelay.relay.kafka;

import org.apache.kafka.clients.producer.MockProducer;
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

  @Override
  public synchronized void flush() {}

  /** Answers every record sent so far with an acknowledgement. */
  public synchronized void completeAll() {
    while (completeNext()) {
      // each call answers the oldest unanswered record
    }
  }
}
