package io.github.outboxrelay.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An image run as a container runtime would run it, without one: its layers unpacked into a root
 * file system of their own, its entrypoint and command started there (chroot, with /proc and /dev
 * mounted in a mount namespace of its own from unshare) as the image's user, with the image's
 * environment and the host's network.
 *
 * <p>chroot and unshare need root. Elsewhere {@link #unpack} skips the test, saying so, unless
 * {@value #REQUIRED} is set (CI sets it), when it fails instead.
 */
final class ContainerRun implements AutoCloseable {

  static final String REQUIRED = "OUTBOX_REQUIRE_IMAGE_RUN";
  private static final Path UNSHARE = Path.of("/usr/bin/unshare");
  private static final Path CHROOT = Path.of("/usr/sbin/chroot");

  private final JsonNode config;
  private final Path root;
  private final Path log;
  private Process process;

  private ContainerRun(JsonNode config, Path root, Path log) {
    this.config = config;
    this.root = root;
    this.log = log;
  }

  /** Unpacks {@code image} into {@code root}, as a runtime prepares a container. */
  static ContainerRun unpack(Path image, Path root) throws IOException {
    boolean canRun =
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(UNSHARE)
            && Files.isExecutable(CHROOT);
    if (System.getenv(REQUIRED) != null) {
      assertThat(canRun).as("root, unshare and chroot, which %s requires", REQUIRED).isTrue();
    }
    Assumptions.assumeTrue(canRun, "running an image without a container runtime needs root");
    // The root of a container's file system is world-readable; JUnit makes temporary ones private.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    OciImage oci = OciImage.read(image);
    oci.unpack(root);
    Files.createDirectories(root.resolve("proc"));
    Files.createDirectories(root.resolve("dev"));
    // What a runtime gives a container besides its layers: the host's name and resolver.
    for (String file : List.of("hosts", "resolv.conf")) {
      Files.copy(Path.of("/etc", file), root.resolve("etc").resolve(file));
    }
    String name = image.getFileName().toString().replace(".tar", "");
    return new ContainerRun(
        oci.config(), root, Path.of("target", name + "-" + System.nanoTime() + ".log"));
  }

  /** Starts the entrypoint and command with the image's environment and {@code settings}. */
  ContainerRun start(Map<String, String> settings) throws IOException {
    // /proc and /dev of its own (without /dev/urandom the JVM's SecureRandom blocks).
    List<String> command =
        new ArrayList<>(
            List.of(
                UNSHARE.toString(),
                "--mount",
                "--pid",
                "--fork",
                "--kill-child=SIGTERM",
                "--mount-proc=" + root.resolve("proc"),
                "/bin/sh",
                "-c",
                "root=$1; user=$2; shift 2; mount --rbind /dev \"$root/dev\""
                    + " && exec "
                    + CHROOT
                    + " --userspec=\"$user\" \"$root\" \"$@\"",
                "sh",
                root.toString(),
                config.path("User").asText()));
    config.path("Entrypoint").forEach(part -> command.add(part.asText()));
    config.path("Cmd").forEach(part -> command.add(part.asText()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    config
        .path("Env")
        .forEach(
            variable -> {
              String[] nameAndValue = variable.asText().split("=", 2);
              environment.put(nameAndValue[0], nameAndValue[1]);
            });
    environment.putAll(settings);
    process = builder.start();
    return this;
  }

  /** Waits until {@code url} answers 200, or the process ends; whether it is still running. */
  boolean awaitReady(String url, Duration timeout) {
    await().atMost(timeout).until(() -> !process.isAlive() || status(url) == 200);
    return process.isAlive();
  }

  /** Waits for the process to end by itself; its exit code, or empty if it did not. */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** Stops it as a runtime does: SIGTERM, which unshare passes on; SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static int status(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
