package io.github.outboxrelay.relay;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The effective configuration as one log line, with every secret masked. */
final class ConfigurationSummary {

  private ConfigurationSummary() {}

  static String of(RelayConfiguration configuration, Properties producer) {
    return "database: "
        + configuration.getDatabase()
        + "; outbox: "
        + configuration.getOutbox()
        + "; kafka producer: "
        + masked(producer);
  }

  static Map<String, String> masked(Properties properties) {
    Map<String, String> masked = new TreeMap<>();
    properties.forEach(
        (key, value) ->
            masked.put(key.toString(), isSecret(key.toString()) ? "****" : String.valueOf(value)));
    return masked;
  }

  /** Passwords, JAAS configs (which embed passwords), keys and tokens. */
  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("token")
        || k.endsWith(".key")
        || k.contains("credentials");
  }
}
