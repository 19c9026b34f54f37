package io.github.outboxrelay.testing;

import org.testcontainers.DockerClientFactory;

/** Whether Testcontainers can start containers on this machine. */
public final class Docker {

  /**
   * Set to {@code false} to skip the Docker probe altogether (it logs an ERROR line when there is
   * no engine, and costs a fraction of a second).
   */
  public static final String USE_DOCKER_VARIABLE = "OUTBOX_TEST_USE_DOCKER";

  private Docker() {}

  public static boolean isAvailable() {
    if ("false".equalsIgnoreCase(System.getenv(USE_DOCKER_VARIABLE))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
