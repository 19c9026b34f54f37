package io.github.outboxrelay.testing.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Entry point of the broker process started by {@link LocalKafkaBroker}. It exists for two reasons.
 * A broker must never outlive the test JVM that started it: when that JVM dies without running its
 * shutdown hooks (SIGKILL, a crashed or timed-out Maven fork), the broker halts too instead of
 * holding its ports and data directory forever. And KRaft storage must be formatted before the
 * first start, which this does in the same JVM (a no-op once formatted) instead of paying for a
 * second JVM start.
 *
 * <p>Usage: {@code java -Doutbox.kafka.parentPid=<pid> -Doutbox.kafka.clusterId=<id> ...
 * LocalKafkaMain server.properties}.
 */
public final class LocalKafkaMain {

  /** System property holding the PID of the process whose death ends the broker. */
  public static final String PARENT_PID_PROPERTY = "outbox.kafka.parentPid";

  /** System property holding the cluster id to format empty storage with. */
  public static final String CLUSTER_ID_PROPERTY = "outbox.kafka.clusterId";

  private LocalKafkaMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: LocalKafkaMain <server.properties>");
      System.exit(2);
    }
    String parentPid = System.getProperty(PARENT_PID_PROPERTY);
    if (parentPid != null) {
      haltWhenProcessExits(Long.parseLong(parentPid));
    }
    String clusterId = System.getProperty(CLUSTER_ID_PROPERTY);
    if (clusterId != null) {
      formatIfNeeded(clusterId, Path.of(args[0]));
    }
    kafka.Kafka.main(new String[] {args[0]});
  }

  private static void haltWhenProcessExits(long pid) {
    Optional<ProcessHandle> parent = ProcessHandle.of(pid);
    if (parent.isEmpty()) {
      System.err.println("Parent process " + pid + " is already gone; not starting the broker");
      Runtime.getRuntime().halt(3);
    }
    parent
        .get()
        .onExit()
        .thenRun(
            () -> {
              // halt, not exit: a graceful Kafka shutdown could hang, and nobody waits for it.
              System.err.println("Parent process " + pid + " exited; halting the broker");
              Runtime.getRuntime().halt(3);
            });
  }

  /**
   * What {@code kafka-storage.sh format --ignore-formatted} does for the single-directory,
   * static-quorum setup of {@link BrokerFiles}. Not {@code kafka.tools.StorageTool}: it needs
   * argparse4j 0.7, and the Dropwizard BOM imported by this build pins 0.9, where a class it uses
   * moved. Reflection because {@code Formatter} is in kafka-metadata, a runtime-only dependency of
   * the broker.
   */
  private static void formatIfNeeded(String clusterId, Path serverProperties) throws Exception {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(serverProperties)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IOException("Cannot read " + serverProperties, e);
    }
    String logDir = properties.getProperty("log.dirs");
    Object formatter =
        Class.forName("org.apache.kafka.metadata.storage.Formatter").getConstructor().newInstance();
    call(formatter, "setPrintStream", PrintStream.class, System.out);
    call(formatter, "setClusterId", String.class, clusterId);
    call(formatter, "setNodeId", int.class, Integer.parseInt(properties.getProperty("node.id")));
    call(
        formatter,
        "setControllerListenerName",
        String.class,
        properties.getProperty("controller.listener.names"));
    call(formatter, "setMetadataLogDirectory", String.class, logDir);
    call(formatter, "addDirectory", String.class, logDir);
    call(formatter, "setIgnoreFormatted", boolean.class, true);
    try {
      formatter.getClass().getMethod("run").invoke(formatter);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void call(Object target, String method, Class<?> type, Object argument)
      throws ReflectiveOperationException {
    target.getClass().getMethod(method, type).invoke(target, argument);
  }
}
