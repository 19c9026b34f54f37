package io.github.outboxrelay.benchmark;

import io.github.outboxrelay.relay.KafkaFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Baseline (c) under test: Debezium's embedded engine in a JVM of its own (its Kafka Connect
 * dependencies stay off this classpath), started as {@link RelayProcess} starts the relay, with a
 * stated heap. It reports what Kafka acknowledged through a status file; closing it drops its
 * replication slot and publication whatever happened.
 */
final class DebeziumProcess implements AutoCloseable {

  /** What the process reported last: acknowledged events and when the last one was. */
  record Status(long acknowledged, long lastAckEpochMicros, String state) {}

  private final Process process;
  private final OutboxData data;
  private final Path log;
  private final Path statusFile;
  private final Thread reaper;

  private DebeziumProcess(
      Process process, OutboxData data, Path log, Path statusFile, Thread reaper) {
    this.process = process;
    this.data = data;
    this.log = log;
    this.statusFile = statusFile;
    this.reaper = reaper;
  }

  /** Drops a stale slot, starts Debezium and waits until it streams from its new slot. */
  static DebeziumProcess start(BenchmarkSettings settings, OutboxData data, String bootstrapServers)
      throws Exception {
    ReplicationSlot.drop(data, DebeziumConfig.SLOT, DebeziumConfig.PUBLICATION);
    Path work = settings.workDirectory();
    Files.createDirectories(work);
    Path config = work.resolve("debezium.properties");
    Path statusFile = work.resolve("debezium.status");
    Path log = work.resolve("debezium.log");
    Files.deleteIfExists(statusFile);
    KafkaFactory factory = new KafkaFactory();
    factory.setBootstrapServers(bootstrapServers);
    factory.setProducer(Map.of());
    try (OutputStream out = Files.newOutputStream(config)) {
      DebeziumConfig.properties(settings, factory.producerProperties())
          .store(out, "written by the benchmark for its Debezium process");
    }
    List<String> command = new ArrayList<>();
    command.add(ChildProcesses.java());
    command.add(settings.debeziumHeap());
    command.add("-Dparent.pid=" + ProcessHandle.current().pid());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.io.debezium.connector.postgresql=info");
    command.add("-Dorg.slf4j.simpleLogger.log.io.debezium.metrics=error");
    command.addAll(List.of("-cp", settings.debeziumClasspath()));
    command.add("io.github.outboxrelay.benchmark.debezium.DebeziumOutboxMain");
    command.add(config.toString());
    command.add(statusFile.toString());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // Even if this JVM is interrupted: no slot may outlive the run.
    Thread reaper =
        new Thread(
            () -> {
              process.destroyForcibly();
              try {
                ReplicationSlot.drop(data, DebeziumConfig.SLOT, DebeziumConfig.PUBLICATION);
              } catch (SQLException e) {
                System.err.println("[bench] could not drop slot " + DebeziumConfig.SLOT + ": " + e);
              }
            });
    Runtime.getRuntime().addShutdownHook(reaper);
    DebeziumProcess debezium = new DebeziumProcess(process, data, log, statusFile, reaper);
    try {
      ReplicationSlot.awaitActive(
          data, DebeziumConfig.SLOT, Duration.ofSeconds(120), debezium::requireAliveUnchecked);
      return debezium;
    } catch (Exception e) {
      debezium.close();
      throw e;
    }
  }

  Status status() throws IOException {
    String line;
    try {
      line = Files.readString(statusFile, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException notYet) {
      return new Status(0, 0, "starting");
    }
    String[] fields = line.split(" ", 3);
    return new Status(
        Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields.length > 2 ? fields[2] : "");
  }

  /** Waits until Kafka has acknowledged {@code events} records from this process. */
  Status awaitAcknowledged(long events, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastReport = System.nanoTime();
    while (true) {
      requireAlive();
      Status status = status();
      if (status.acknowledged() >= events) {
        return status;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Debezium had "
                + status.acknowledged()
                + " of "
                + events
                + " acknowledged after "
                + timeout);
      }
      if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
        Progress.say("  %,d of %,d acknowledged", status.acknowledged(), events);
        lastReport = System.nanoTime();
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  long peakResidentBytes() throws IOException {
    return ChildProcesses.peakResidentBytes(process.pid());
  }

  void requireAlive() throws IOException {
    ChildProcesses.requireAlive(process, "the Debezium process", log);
  }

  private void requireAliveUnchecked() {
    try {
      requireAlive();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Stops Debezium (gracefully, so it drops its slot itself), then drops slot and publication. */
  @Override
  public void close() throws InterruptedException, SQLException {
    try {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      ReplicationSlot.drop(data, DebeziumConfig.SLOT, DebeziumConfig.PUBLICATION);
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }
}
