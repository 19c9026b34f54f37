package io.github.outboxrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/** The effective configuration as one log line, with every secret masked. */
final class ConfigurationSummary {

  static final String MASK = "****";
  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  /**
   * Names that suggest a secret, for keys Kafka does not know (a custom login callback handler's
   * options, say): passwords and passphrases, secrets, JAAS configs (they embed passwords), tokens,
   * credentials, authorization, private material, API keys and any {@code key} segment.
   */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "pass|secret|jaas|token|credential|auth|private|api[._-]?key|(^|[._-])key($|[._-])");

  /** Kafka's own knowledge of its keys: the producer's and the admin client's (health check). */
  private static final Map<String, ConfigDef.ConfigKey> KAFKA_KEYS = new TreeMap<>();

  static {
    KAFKA_KEYS.putAll(AdminClientConfig.configDef().configKeys());
    KAFKA_KEYS.putAll(ProducerConfig.configDef().configKeys());
  }

  private ConfigurationSummary() {}

  /**
   * The outbox settings are written from their own JSON binding, so every key (and any added later)
   * is in the summary; the database's own summary masks its URL and password, and the admin
   * password shows only whether it is set.
   */
  static String of(RelayConfiguration configuration) {
    return "database: "
        + configuration.getDatabase()
        + "; outbox: "
        + JSON.valueToTree(configuration.getOutbox())
        + "; admin: user="
        + configuration.getAdmin().getUser()
        + ", password="
        + (configuration.getAdmin().password() == null ? "(none)" : "(set)")
        + ", openPaths="
        + configuration.getAdmin().getOpenPaths()
        + "; kafka producer: "
        + masked(configuration.getKafka().producerProperties());
  }

  static Map<String, String> masked(Properties properties) {
    Map<String, String> masked = new TreeMap<>();
    properties.forEach(
        (key, value) ->
            masked.put(key.toString(), isSecret(key.toString()) ? MASK : String.valueOf(value)));
    return masked;
  }

  /**
   * What Kafka types as a password ({@code sasl.jaas.config}, {@code ssl.key.password}, the OAuth
   * client secret and assertion passphrase, …) as Kafka itself masks it; for a key Kafka does not
   * know, whatever its name suggests is secret.
   */
  static boolean isSecret(String key) {
    ConfigDef.ConfigKey known = KAFKA_KEYS.get(key);
    if (known != null) {
      return known.type == ConfigDef.Type.PASSWORD;
    }
    return SECRET_NAME.matcher(key.toLowerCase(Locale.ROOT)).find();
  }
}
