package io.github.outboxrelay.testing.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command lines of the broker's JVMs. The broker runs in its own process because the modules using
 * this fixture do not have the broker's jars (Scala, log4j) on their classpath, and because only a
 * separate process can be killed for real. Its classpath is the file the build writes next to this
 * class, plus this module's own code for {@link LocalKafkaMain}.
 */
final class BrokerCommand {

  static final String CLASSPATH_RESOURCE = "broker.classpath";

  private static final List<String> JVM_FLAGS =
      List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final String java;
  private final String classpath;

  private BrokerCommand(String java, String classpath) {
    this.java = java;
    this.classpath = classpath;
  }

  /**
   * Resolves the java binary and the broker classpath.
   *
   * @throws IllegalStateException if the broker jars are not where the build said they were
   */
  static BrokerCommand resolve() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new BrokerCommand(java, brokerClasspath() + File.pathSeparator + ownCodeLocation());
  }

  private static String brokerClasspath() {
    String classpath;
    try (InputStream in = BrokerCommand.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "Resource "
                + CLASSPATH_RESOURCE
                + " is missing: build outbox-test-support with Maven (generate-resources writes it)");
      }
      classpath = new String(in.readAllBytes(), UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean hasBroker =
        Arrays.stream(classpath.split(File.pathSeparator))
            .anyMatch(entry -> entry.contains("kafka_2.13") && Files.isRegularFile(Path.of(entry)));
    if (!hasBroker) {
      throw new IllegalStateException(
          "The Kafka broker jar (org.apache.kafka:kafka_2.13) listed in "
              + CLASSPATH_RESOURCE
              + " is not on this machine; rebuild outbox-test-support so Maven resolves it");
    }
    return classpath;
  }

  private static String ownCodeLocation() {
    try {
      return Path.of(
              BrokerCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("Cannot locate the outbox-test-support classes", e);
    }
  }

  /**
   * The broker, formatting its storage with {@code clusterId} if empty, and watching {@code
   * parentPid} so it dies with the test JVM.
   */
  List<String> broker(BrokerFiles files, String clusterId, long parentPid) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(JVM_FLAGS);
    command.add("-Djava.awt.headless=true");
    command.add("-Dlog4j2.configurationFile=" + files.log4jConfig());
    command.add("-Dkafka.logs.dir=" + files.root());
    command.add("-D" + LocalKafkaMain.PARENT_PID_PROPERTY + "=" + parentPid);
    command.add("-D" + LocalKafkaMain.CLUSTER_ID_PROPERTY + "=" + clusterId);
    command.add("-cp");
    command.add(classpath);
    command.add(LocalKafkaMain.class.getName());
    command.add(files.serverProperties().toString());
    return command;
  }
}
