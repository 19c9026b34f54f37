package io.github.outboxrelay.testing.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The on-disk layout of one local broker. Kafka's data lives in a sub-directory because Kafka
 * refuses to start when its log directory holds directories it does not recognise.
 */
final class BrokerFiles {

  private static final String LOG4J_RESOURCE = "log4j2-broker.xml";
  private static final int TAIL_BYTES = 512 * 1024;
  private static final int MAX_ERROR_LINES = 15;
  private static final String START_MARKER = "=== LocalKafkaBroker: ";
  private static final Pattern ERROR_LINE =
      Pattern.compile("^\\[[^]]*] (ERROR|FATAL) |^Caused by: |^Exception in thread |^Error: ");

  private final Path root;

  private BrokerFiles(Path root) {
    this.root = root;
  }

  /** Creates a fresh temp directory holding the broker's configuration for the given ports. */
  static BrokerFiles create(int brokerPort, int controllerPort) {
    try {
      BrokerFiles files = new BrokerFiles(Files.createTempDirectory("outbox-kafka-"));
      Files.createDirectories(files.kafkaLogDir());
      Files.writeString(
          files.serverProperties(), serverProperties(files, brokerPort, controllerPort));
      try (InputStream log4j = BrokerFiles.class.getResourceAsStream(LOG4J_RESOURCE)) {
        if (log4j == null) {
          throw new IllegalStateException("Resource " + LOG4J_RESOURCE + " is missing");
        }
        Files.copy(log4j, files.log4jConfig(), StandardCopyOption.REPLACE_EXISTING);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare a data directory for the Kafka broker", e);
    }
  }

  private static String serverProperties(BrokerFiles files, int brokerPort, int controllerPort) {
    String broker = "127.0.0.1:" + brokerPort;
    String controller = "127.0.0.1:" + controllerPort;
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + controller,
        "listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
        "advertised.listeners=PLAINTEXT://" + broker,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs=" + files.kafkaLogDir().toAbsolutePath(),
        "num.partitions=1",
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "share.coordinator.state.topic.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "num.network.threads=2",
        "num.io.threads=2",
        "num.recovery.threads.per.data.dir=1",
        "# The default 128 MiB dedupe buffer is allocated on the heap: too much for a small heap.",
        "log.cleaner.dedupe.buffer.size=16777216",
        "# After SIGKILL the node cannot re-register until its old session expires.",
        "broker.heartbeat.interval.ms=1000",
        "broker.session.timeout.ms=3000",
        "");
  }

  Path root() {
    return root;
  }

  Path kafkaLogDir() {
    return root.resolve("kafka-logs");
  }

  Path serverProperties() {
    return root.resolve("server.properties");
  }

  Path log4jConfig() {
    return root.resolve("log4j2.xml");
  }

  /** Everything the broker process prints: log4j output and JVM errors alike. */
  Path brokerLog() {
    return root.resolve("broker.log");
  }

  /** Separates the output of successive starts in {@link #brokerLog()}. */
  void markStart(String description) {
    try {
      Files.writeString(
          brokerLog(),
          START_MARKER + description + "\n",
          UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + brokerLog(), e);
    }
  }

  /**
   * The broker log of the latest start, for failure messages: its error lines (a start-up error is
   * often followed by hundreds of lines of orderly shutdown) and then its last {@code lines} lines.
   */
  String describeLatestStart(int lines) {
    Path log = brokerLog();
    List<String> all;
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      all = Arrays.asList(new String(bytes, UTF_8).split("\\R"));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
    int marker = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith(START_MARKER)) {
        marker = i;
      }
    }
    List<String> latest = all.subList(marker, all.size());
    List<String> errors = latest.stream().filter(line -> ERROR_LINE.matcher(line).find()).toList();
    return "--- error lines in "
        + log
        + " ---\n"
        + String.join(
            "\n", errors.subList(Math.max(0, errors.size() - MAX_ERROR_LINES), errors.size()))
        + "\n--- last "
        + lines
        + " lines ---\n"
        + String.join("\n", latest.subList(Math.max(0, latest.size() - lines), latest.size()));
  }

  void delete() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the Kafka data directory " + root, e);
    }
  }
}
