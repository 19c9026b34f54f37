package io.github.outboxrelay.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * What the suite runs against and how, from environment variables with local defaults (README,
 * "Fault suite"). Jars default to those under the checkout's target directories; the checkout is
 * the {@code faults.root} system property (set by the exec plugin) or the nearest directory at or
 * above the working directory that holds {@code config/relay.yml}.
 */
record FaultSettings(
    Profile profile,
    long seed,
    Path root,
    Path relayJar,
    Path shopJar,
    Optional<String> postgresRestart,
    String jdbcUrl,
    String user,
    String password,
    int clients,
    int ordersPerSecond) {

  static final String SCHEMA = "outbox_faults";

  static FaultSettings fromEnvironment() {
    Path root = checkoutRoot();
    String version = System.getProperty("faults.version", "0.1.0-SNAPSHOT");
    String seed = env("FAULTS_SEED", "");
    return new FaultSettings(
        Profile.parse(env("FAULTS_PROFILE", "short")),
        seed.isEmpty() ? new SecureRandom().nextLong() : Long.parseLong(seed),
        root,
        Path.of(env("FAULTS_RELAY_JAR", jar(root, "outbox-relay", version).toString())),
        Path.of(env("FAULTS_SHOP_JAR", jar(root, "sample-order-service", version).toString())),
        Optional.of(env("FAULTS_POSTGRES_RESTART", "")).filter(command -> !command.isEmpty()),
        env("OUTBOX_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"),
        env("OUTBOX_DB_USER", "postgres"),
        env("OUTBOX_DB_PASSWORD", ""),
        Integer.parseInt(env("FAULTS_CLIENTS", "8")),
        Integer.parseInt(env("FAULTS_ORDERS_PER_SECOND", "200")));
  }

  /** The services' JDBC URL: the suite works in a schema of its own. */
  String schemaJdbcUrl() {
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
  }

  Path config(String file) {
    return root.resolve("config").resolve(file);
  }

  Path outputDirectory() {
    return root.resolve("outbox-faults").resolve("target").resolve("faults");
  }

  private static Path jar(Path root, String module, String version) {
    return root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
  }

  private static Path checkoutRoot() {
    String property = System.getProperty("faults.root");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path directory = Path.of("").toAbsolutePath();
    for (Path at = directory; at != null; at = at.getParent()) {
      if (Files.isRegularFile(at.resolve("config").resolve("relay.yml"))) {
        return at;
      }
    }
    return directory;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
