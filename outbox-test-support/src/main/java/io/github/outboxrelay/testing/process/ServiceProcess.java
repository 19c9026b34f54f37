package io.github.outboxrelay.testing.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the product's services, started from its jar as users start it: {@code java -jar <jar>
 * server <config>}, with its settings in environment variables. It can be stopped (SIGTERM), killed
 * (SIGKILL) and started again with the same command, as the demo and the fault suite need; every
 * start of one service appends to the same log file.
 */
public final class ServiceProcess implements AutoCloseable {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final int adminPort;
  private volatile Process process;
  private volatile int starts;
  private boolean closed;

  private ServiceProcess(
      String name, List<String> command, Map<String, String> environment, Path log, int adminPort) {
    this.name = name;
    this.command = command;
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.adminPort = adminPort;
  }

  /**
   * Starts {@code java -Xmx256m -jar jar server config}; its output goes to {@code <name>.log} in
   * the log directory (emptied first).
   */
  public static ServiceProcess start(
      String name,
      Path jar,
      Path config,
      Map<String, String> environment,
      Path logDirectory,
      int adminPort)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build first (./mvnw -B -q install -DskipTests)");
    }
    Files.createDirectories(logDirectory);
    Path log = logDirectory.resolve(name + ".log");
    Files.deleteIfExists(log);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(java, "-Xmx256m", "-jar", jar.toString(), "server", config.toString());
    ServiceProcess service = new ServiceProcess(name, command, environment, log, adminPort);
    service.launch();
    return service;
  }

  /**
   * Starts it again with the same command and environment; it must have exited, and not been closed
   * (a fault injector must not start it again behind a shutdown hook's back).
   */
  public synchronized void restart() throws IOException {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    if (isAlive()) {
      throw new IllegalStateException(name + " is still running (pid " + pid() + ")");
    }
    launch();
  }

  private synchronized void launch() throws IOException {
    Files.writeString(
        log,
        "=== ServiceProcess: start " + (starts + 1) + " of " + name + " at " + Instant.now() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
    starts++;
  }

  /** Waits until the admin port reports every health check healthy. */
  public void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    awaitAdmin(timeout, true);
  }

  /**
   * Waits until the admin port answers at all, healthy or not: a relay restarted while Kafka is
   * down is up (and may take over) long before its Kafka health check passes.
   */
  public void awaitAdminAnswering(Duration timeout) throws IOException, InterruptedException {
    awaitAdmin(timeout, false);
  }

  private void awaitAdmin(Duration timeout, boolean healthy)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Process current = process;
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 || !healthy) {
          return;
        }
        last = response.body();
      } catch (IOException notYetListening) {
        last = notYetListening.toString();
      }
      if (current.waitFor(250, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " exited at start-up; its log (" + log + "):\n" + tail());
      }
    }
    throw new IllegalStateException(name + " did not become healthy: " + last + "\n" + tail());
  }

  public String name() {
    return name;
  }

  public int adminPort() {
    return adminPort;
  }

  /** The operating system's id of the current (or last) process. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last 30 lines of its log. */
  public String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** SIGTERM, as an orchestrator would stop it; returns at once. */
  public void requestStop() {
    process.destroy();
  }

  /**
   * SIGTERM and waits until it has exited; SIGKILL if it does not stop within 40 seconds.
   *
   * @return whether it stopped by itself
   */
  public boolean terminate() throws InterruptedException {
    Process current = process;
    current.destroy();
    if (current.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    current.destroyForcibly().waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return false;
  }

  /** SIGKILL, a crash: no shutdown hook runs. Waits until the process is gone. */
  public void kill() throws InterruptedException {
    Process current = process;
    current.destroyForcibly();
    if (!current.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " (pid " + current.pid() + ") survived SIGKILL");
    }
  }

  /** Stops it (SIGTERM) and waits; SIGKILL if it does not stop in time. It stays stopped. */
  @Override
  public synchronized void close() throws InterruptedException {
    closed = true;
    if (process.isAlive()) {
      terminate();
    }
  }

  /** {@code base} plus the given name/value pairs, for a service's environment. */
  public static Map<String, String> environment(Map<String, String> base, Object... pairs) {
    Map<String, String> result = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      result.put(String.valueOf(pairs[i]), String.valueOf(pairs[i + 1]));
    }
    return result;
  }

  /** {@code count} ports free a moment ago, for services that take their ports from settings. */
  public static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
    return ports;
  }
}
