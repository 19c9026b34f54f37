package io.github.outboxrelay.dropwizard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service started from its jar as users start it ({@code java -jar service.jar server cfg.yml}),
 * its environment set by the test, everything it prints (stdout and stderr) kept in a file.
 */
public final class JarProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path output;

  private JarProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /**
   * @param jarProperty the system property failsafe sets to the packaged jar
   * @param systemProperties e.g. {@code dw.*} overrides of the configuration
   */
  public static JarProcess start(
      String jarProperty,
      Map<String, String> environment,
      Map<String, String> systemProperties,
      Path directory,
      String... arguments)
      throws IOException {
    String jar = System.getProperty(jarProperty);
    assertThat(jar).as("system property " + jarProperty + " (set by failsafe)").isNotNull();
    List<String> command =
        new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", jar));
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile(directory, "service", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    return new JarProcess(builder.start(), output);
  }

  /** The port Jetty reports for {@code connector} ("application" or "admin") once started. */
  public int port(String connector) throws InterruptedException {
    Pattern started =
        Pattern.compile("Started " + connector + "@\\S+\\{[^}]*\\}\\{[^}]*:(\\d+)\\}");
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      Matcher matcher = started.matcher(output());
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("exited with " + process.exitValue() + ":\n" + output());
      }
    }
    throw new AssertionError("no " + connector + " connector started:\n" + output());
  }

  /** Waits for a process that is expected to end by itself; its exit status. */
  public int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .as("exited within %s:%n%s", START_TIMEOUT, output())
        .isTrue();
    return process.exitValue();
  }

  /** Everything printed so far. */
  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, as an orchestrator stops it, and waits; the output is then complete. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
