package io.github.outboxrelay.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay under test: the packaged jar with the shipped config/relay.yml, started as users start
 * it, with a bounded heap. Its resident memory is read from /proc and its heap from its own
 * metrics.
 */
final class RelayProcess implements AutoCloseable {

  private final Process process;
  private final int adminPort;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private long peakHeapBytes;
  private long published = -1;
  private long spanBase;
  private long firstCount = -1;
  private long firstCountAtNanos;
  private long lastRiseAtNanos;
  private boolean metricsRead;

  private RelayProcess(Process process, int adminPort, Path log) {
    this.process = process;
    this.adminPort = adminPort;
    this.log = log;
  }

  static RelayProcess start(
      BenchmarkSettings settings,
      String bootstrapServers,
      int batchSize,
      Map<String, String> extraEnvironment)
      throws IOException {
    Files.createDirectories(settings.workDirectory());
    Path log = settings.workDirectory().resolve("relay.log");
    int[] ports = freePorts();
    String java = ChildProcesses.java();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add(settings.relayHeap());
    // The same batches as baseline (b); Dropwizard reads dw.* system properties as overrides.
    command.add("-Ddw.outbox.batchSize=" + batchSize);
    settings
        .publishedSetting()
        .ifPresent(published -> command.add("-Ddw.outbox.published=" + published.configName()));
    // Extra JVM options, e.g. -Ddw.outbox.inFlightBatches=4 to try a setting without a new file.
    String options = System.getenv("BENCH_RELAY_JAVA_OPTS");
    if (options != null && !options.isBlank()) {
      command.addAll(List.of(options.trim().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-jar", settings.relayJar().toString(), "server", settings.relayConfig().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.put("OUTBOX_JDBC_URL", settings.schemaJdbcUrl());
    environment.put("OUTBOX_DB_USER", settings.user());
    environment.put("OUTBOX_DB_PASSWORD", settings.password());
    environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    environment.put("RELAY_HTTP_PORT", String.valueOf(ports[0]));
    environment.put("RELAY_ADMIN_PORT", String.valueOf(ports[1]));
    environment.putAll(extraEnvironment);
    RelayProcess relay = new RelayProcess(builder.start(), ports[1], log);
    Runtime.getRuntime().addShutdownHook(new Thread(relay.process::destroyForcibly));
    return relay;
  }

  /** Waits until the relay reports itself healthy on its admin port. */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // starting
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("the relay did not become healthy within " + timeout);
  }

  /**
   * Samples the heap in use and the events published so far (the relay's {@code
   * outbox.relay.published} meter, counted once their marks committed); call it often while the
   * relay works. Reading the count from the relay keeps the benchmark's own queries out of what
   * PostgreSQL is measured doing.
   */
  void sample() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode metrics = json.readTree(response.body());
      JsonNode used = metrics.path("gauges").path("jvm.memory.heap.used");
      peakHeapBytes = Math.max(peakHeapBytes, used.path("value").asLong());
      metricsRead = true;
      JsonNode meter = metrics.path("meters").path("outbox.relay.published");
      if (meter.has("count")) {
        long count = meter.path("count").asLong();
        long now = System.nanoTime();
        if (count > spanBase && firstCount < 0) {
          firstCount = count;
          firstCountAtNanos = now;
        }
        if (count > published) {
          lastRiseAtNanos = now;
        }
        published = Math.max(published, count);
      }
    } catch (IOException e) {
      // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Events published as of the last {@link #sample()}; -1 until the relay answered with its meter
   * (an older relay build may not have it).
   */
  long published() {
    return published;
  }

  /**
   * The events published from the first sample that saw any to the last sample that saw more, and
   * the seconds between them: the drain rate without the start-up, measured the same way whatever
   * the relay writes to published rows. Empty before two such samples.
   */
  java.util.Optional<Measurement> meteredSpan() {
    if (firstCount < 0 || lastRiseAtNanos <= firstCountAtNanos) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new Measurement(published - firstCount, (lastRiseAtNanos - firstCountAtNanos) / 1e9));
  }

  /**
   * Starts a new span at the events published so far: {@link #meteredSpan()} then measures only
   * what the relay publishes after this (the timed drain after the warm-up drain).
   */
  void restartSpan() {
    spanBase = Math.max(0, published);
    firstCount = -1;
  }

  /** Whether the relay has answered a {@link #sample()} yet. */
  boolean metricsRead() {
    return metricsRead;
  }

  long peakHeapBytes() {
    return peakHeapBytes;
  }

  /** The most resident memory the process has had (VmHWM), in bytes. */
  long peakResidentBytes() throws IOException {
    return ChildProcesses.peakResidentBytes(process.pid());
  }

  void requireAlive() throws IOException {
    ChildProcesses.requireAlive(process, "the relay", log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int[] freePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0);
        ServerSocket b = new ServerSocket(0)) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }
}
