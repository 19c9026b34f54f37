package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as users run it: {@code java -jar outbox-relay.jar check relay.yml}. */
class RelayCommandLineIT {

  @TempDir Path directory;

  private record Result(int exitCode, String output) {}

  private static Result run(String... arguments) throws IOException, InterruptedException {
    String jar = System.getProperty("outbox.relay.jar");
    assertThat(jar).as("system property outbox.relay.jar (set by failsafe)").isNotNull();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  @Test
  void shippedConfigurationPassesTheCheckCommand() throws Exception {
    Result result = run("check", Path.of("../config/relay.yml").toString());

    // Exit status 0 is the contract. Dropwizard logs "Configuration is OK" through the configured
    // (asynchronous) console appender, which the JVM may exit before flushing, so the text is not.
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void checkCommandRefusesAWeakeningOverrideByKey() throws Exception {
    Path config = directory.resolve("relay.yml");
    Files.writeString(
        config,
        """
        database:
          url: jdbc:postgresql://127.0.0.1:5432/test
          user: postgres
        kafka:
          bootstrapServers: 127.0.0.1:9092
          producer:
            acks: "0"
        """);

    Result result = run("check", config.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("kafka.producer.acks=0");
  }

  @Test
  void unsetEnvironmentVariableWithoutDefaultFailsStartUp() throws Exception {
    Path config = directory.resolve("relay.yml");
    Files.writeString(
        config,
        """
        database:
          url: ${OUTBOX_TEST_SURELY_UNSET_URL}
          user: postgres
        kafka:
          bootstrapServers: 127.0.0.1:9092
        """);

    Result result = run("check", config.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("OUTBOX_TEST_SURELY_UNSET_URL");
  }
}
