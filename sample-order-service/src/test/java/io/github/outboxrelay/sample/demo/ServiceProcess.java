package io.github.outboxrelay.sample.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of the product's services, started from its jar as users start it: {@code java -jar}. */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final int adminPort;

  private ServiceProcess(String name, Process process, Path log, int adminPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.adminPort = adminPort;
  }

  static ServiceProcess start(
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
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(java, "-Xmx256m", "-jar", jar.toString(), "server", config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new ServiceProcess(name, builder.start(), log, adminPort);
  }

  /** Waits until the admin port reports every health check healthy. */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.body();
      } catch (IOException notYetListening) {
        last = notYetListening.toString();
      }
      if (process.waitFor(250, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " exited at start-up; its log (" + log + "):\n" + tail());
      }
    }
    throw new IllegalStateException(name + " did not become healthy: " + last + "\n" + tail());
  }

  int adminPort() {
    return adminPort;
  }

  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** SIGTERM, as an orchestrator would stop it; returns at once. */
  void requestStop() {
    process.destroy();
  }

  /** Stops it (SIGTERM) and waits; SIGKILL if it does not stop in time. */
  @Override
  public void close() throws InterruptedException {
    requestStop();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
