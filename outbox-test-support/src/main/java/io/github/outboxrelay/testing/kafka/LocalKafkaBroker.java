package io.github.outboxrelay.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker (broker and controller in one) running in a separate JVM on
 * 127.0.0.1. Unlike an in-JVM broker it can be stopped, killed with SIGKILL and started again,
 * which is what crash tests of the relay need; its two ports and its data directory stay the same
 * across restarts, so clients keep their bootstrap address and acknowledged records survive.
 *
 * <p>The broker's output goes to {@code broker.log} in the data directory; start-up failures quote
 * its errors and tail. The broker process dies with the JVM that started it, even if that JVM is
 * killed. {@link #start()} creates and starts a broker; {@link #restart()} starts it again.
 */
public final class LocalKafkaBroker implements KafkaBroker, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 40;

  private final BrokerCommand command;
  private final List<String> jvmFlags;
  private final BrokerFiles files;
  private final int brokerPort;
  private final String clusterId = Uuid.randomUuid().toString();
  private volatile Process process;
  private volatile boolean closed;

  private LocalKafkaBroker(
      BrokerCommand command, List<String> jvmFlags, BrokerFiles files, int brokerPort) {
    this.command = command;
    this.jvmFlags = jvmFlags;
    this.files = files;
    this.brokerPort = brokerPort;
  }

  /**
   * Creates a broker on two free ports with a fresh data directory, and starts it.
   *
   * @return a running broker, ready to create topics
   * @throws IllegalStateException if the broker jars are missing or the broker does not become
   *     ready within a minute (the message quotes the broker log)
   */
  public static LocalKafkaBroker start() {
    return start(List.of());
  }

  /**
   * Like {@link #start()}, with the broker JVM's heap, GC and JIT flags replaced by {@code
   * jvmFlags} (for example {@code -Xms1g -Xmx1g -XX:+UseG1GC} for a benchmark; an empty list keeps
   * the small, quick-starting defaults the tests use: 256 MiB heap, Serial GC, C1 only).
   *
   * @param jvmFlags JVM options ({@code -X...}) for the broker process, or empty for the defaults
   * @return a running broker, ready to create topics
   * @throws IllegalStateException as {@link #start()}
   */
  public static LocalKafkaBroker start(List<String> jvmFlags) {
    BrokerCommand command = BrokerCommand.resolve();
    int[] ports = freePorts(2);
    LocalKafkaBroker broker =
        new LocalKafkaBroker(
            command, List.copyOf(jvmFlags), BrokerFiles.create(ports[0], ports[1]), ports[0]);
    BrokerReaper.register(broker);
    try {
      broker.restart();
      return broker;
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** Whether the broker process is alive (it may still be starting or stopping). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the broker again on the same ports and data, stopping it gracefully first if it is
   * running, and waits until it is ready.
   *
   * @throws IllegalStateException if it does not become ready (the message quotes the broker log)
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("The broker at " + bootstrapServers() + " is closed");
    }
    stop();
    long startedAt = System.nanoTime();
    files.markStart("starting the broker on " + bootstrapServers() + " ===");
    process = launch(withJvmFlags(command.broker(files, clusterId, ProcessHandle.current().pid())));
    try {
      BrokerReadiness.await(this, process);
    } catch (RuntimeException e) {
      kill(); // a half-started broker would hold the ports and confuse the next attempt
      throw e;
    }
    LOG.info(
        "Kafka broker ready at {} after {} ms (pid {}, data {})",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt),
        process.pid(),
        files.root());
  }

  /**
   * Stops the broker gracefully (SIGTERM) and waits for its process to exit. Falls back to SIGKILL
   * if it has not exited after 30 seconds. Does nothing if it is not running.
   */
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    process.destroy();
    if (!waitFor(STOP_TIMEOUT)) {
      LOG.warn(
          "Kafka broker {} ignored SIGTERM for {}; killing it", bootstrapServers(), STOP_TIMEOUT);
      kill();
    }
  }

  /** Kills the broker with SIGKILL, a real crash: no controlled shutdown, no flush. */
  public synchronized void kill() {
    if (!isRunning()) {
      return;
    }
    process.destroyForcibly();
    if (!waitFor(KILL_TIMEOUT)) {
      throw new IllegalStateException(
          "Kafka broker process " + process.pid() + " survived SIGKILL");
    }
  }

  /** Stops the broker if it is running and deletes its data directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      BrokerReaper.unregister(this);
      files.delete();
    }
  }

  /**
   * Last-chance cleanup from the shutdown hook: no graceful stop, and no lock, so that a thread
   * stuck waiting for the broker cannot hold up the JVM's exit.
   */
  void reap() {
    closed = true;
    Process current = process;
    if (current != null && current.isAlive()) {
      current.destroyForcibly();
      try {
        current.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    files.delete();
  }

  Path dataDirectory() {
    return files.root();
  }

  /** The broker's own output, for failure messages. */
  String logTail() {
    return files.describeLatestStart(LOG_TAIL_LINES);
  }

  /** The command line with its -X options replaced by this broker's own, if it has any. */
  private List<String> withJvmFlags(List<String> commandLine) {
    if (jvmFlags.isEmpty()) {
      return commandLine;
    }
    List<String> replaced = new ArrayList<>();
    replaced.add(commandLine.get(0));
    replaced.addAll(jvmFlags);
    commandLine.stream().skip(1).filter(arg -> !arg.startsWith("-X")).forEach(replaced::add);
    return replaced;
  }

  private Process launch(List<String> commandLine) {
    try {
      return new ProcessBuilder(commandLine)
          .directory(files.root().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(files.brokerLog().toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + commandLine.get(0), e);
    }
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Ports free right now; the sockets stay open until all are chosen so they differ. */
  private static int[] freePorts(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          if (socket != null) {
            socket.close();
          }
        } catch (IOException ignored) {
          // a port we only probed
        }
      }
    }
  }
}
