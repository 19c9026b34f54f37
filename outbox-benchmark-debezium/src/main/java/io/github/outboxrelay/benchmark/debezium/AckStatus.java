package io.github.outboxrelay.benchmark.debezium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmark reads from this process: a one-line file {@code <acked> <last ack, epoch
 * microseconds> <state>}, rewritten every 20 ms. Wall-clock time, as the benchmark on the same
 * machine times its commits with the same clock.
 */
final class AckStatus implements AutoCloseable {

  private final Path file;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong lastAckMicros = new AtomicLong();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
  private volatile String state = "running";

  AckStatus(Path file) {
    this.file = file;
  }

  void start() {
    writer.scheduleWithFixedDelay(this::write, 0, 20, TimeUnit.MILLISECONDS);
  }

  /** Called on the producer's thread for each record Kafka acknowledged. */
  void acknowledged() {
    lastAckMicros.set(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
    acked.incrementAndGet();
  }

  void engineStopped(boolean success, String message) {
    state = success ? "stopped" : "failed: " + String.valueOf(message).replace('\n', ' ');
    write();
  }

  private synchronized void write() {
    try {
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(
          temporary,
          String.format(Locale.ROOT, "%d %d %s%n", acked.get(), lastAckMicros.get(), state),
          StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
    write();
  }
}
