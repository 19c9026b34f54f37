package io.github.outboxrelay.benchmark.debezium;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Baseline (c) of the benchmark: Debezium's embedded engine, configured by the benchmark, hands
 * what its outbox EventRouter emits to {@link KafkaChangeConsumer}, which sends it with a plain
 * Kafka producer.
 *
 * <p>Arguments: a properties file whose {@code engine.*} keys configure the engine and whose {@code
 * producer.*} keys configure the producer, and the status file to keep up to date. The system
 * property {@code parent.pid} names the benchmark's process: this one exits when that one does.
 */
public final class DebeziumOutboxMain {

  private DebeziumOutboxMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: DebeziumOutboxMain <config.properties> <status-file>");
      System.exit(2);
    }
    Properties all = load(Path.of(args[0]));
    exitWithParent();
    AckStatus status = new AckStatus(Path.of(args[1]));
    ExecutorService runner = Executors.newSingleThreadExecutor();
    boolean[] succeeded = {false};
    try (KafkaChangeConsumer consumer =
            new KafkaChangeConsumer(withPrefix(all, "producer."), status);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
            DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(withPrefix(all, "engine."))
                .notifying(consumer)
                .using(
                    (success, message, error) -> {
                      succeeded[0] = success;
                      status.engineStopped(success, message);
                      if (error != null) {
                        error.printStackTrace();
                      }
                    })
                .build()) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      // A graceful stop lets the connector drop its slot (slot.drop.on.stop).
                      engine.close();
                      runner.shutdown();
                      runner.awaitTermination(30, TimeUnit.SECONDS);
                    } catch (IOException | InterruptedException e) {
                      e.printStackTrace();
                    }
                  }));
      status.start();
      runner.submit(engine).get();
    } finally {
      status.close();
      runner.shutdownNow();
    }
    // Kafka's and Debezium's own threads must not keep the process alive.
    System.exit(succeeded[0] ? 0 : 1);
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    return properties;
  }

  static Properties withPrefix(Properties all, String prefix) {
    Properties selected = new Properties();
    for (String name : all.stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        selected.setProperty(name.substring(prefix.length()), all.getProperty(name));
      }
    }
    return selected;
  }

  /** An orphaned Debezium would hold its replication slot, and so WAL, for ever. */
  private static void exitWithParent() {
    String parent = System.getProperty("parent.pid");
    if (parent == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(parent))
        .ifPresentOrElse(
            handle -> handle.onExit().thenRun(() -> System.exit(3)), () -> System.exit(3));
  }
}
