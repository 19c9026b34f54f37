package io.github.outboxrelay.relay.kafka;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The relay's producer defaults and the rules that keep user overrides from weakening delivery.
 *
 * <p>Guarantees (set explicitly so a conflicting override fails loudly): {@code acks=all} and
 * {@code enable.idempotence=true}, so an acknowledged record is on every in-sync replica and
 * producer retries cannot duplicate or reorder records within a partition.
 *
 * <p>Bounded waits: {@code max.block.ms=5000} (a Kafka 4 producer's {@code send()} blocks that long
 * for metadata while the cluster is away; the loop then backs off) and {@code
 * delivery.timeout.ms=30000} (a batch either is acknowledged or fails within this, and its rows
 * stay unpublished). Overrides may raise them up to {@link #UPPER_BOUNDS_MS}, and every override
 * must parse as the type Kafka expects, so {@code check} refuses what the producer would.
 *
 * <p>Throughput: {@code linger.ms=5}, {@code batch.size=262144} and {@code compression.type=lz4}
 * fill large, cheaply compressed batches from one claimed batch of rows; the relay flushes after
 * sending a claimed batch, so the linger adds no latency to the last record.
 */
public final class ProducerSettings {

  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
          Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
          Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"),
          Map.entry(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE)),
          Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000"),
          Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"),
          Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"),
          Map.entry(ProducerConfig.LINGER_MS_CONFIG, "5"),
          Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, "262144"),
          Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
          Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay"));

  /**
   * The longest each producer wait the relay depends on may be set to (see requireWithinBounds).
   */
  static final Map<String, Integer> UPPER_BOUNDS_MS =
      Map.of(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 300_000,
          ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);

  private static final Duration ACK_MARGIN = Duration.ofSeconds(10);

  private ProducerSettings() {}

  public static Properties effective(
      String bootstrapServers, Map<String, String> overrides, boolean allowUnsafe) {
    Properties properties = new Properties();
    properties.putAll(DEFAULTS);
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      String key = override.getKey();
      String value = override.getValue();
      if (key.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
          || key.equals(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
          || key.equals(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)
          || key.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
        throw new IllegalArgumentException(
            "kafka.producer."
                + key
                + " cannot be set: the relay manages it"
                + (key.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                    ? " (use kafka.bootstrapServers)"
                    : ""));
      }
      String weakness = weakness(key, value);
      if (weakness != null && !allowUnsafe) {
        throw new IllegalArgumentException(
            "kafka.producer."
                + key
                + "="
                + value
                + " "
                + weakness
                + "; set kafka.allowUnsafeProducerOverrides: true to accept that");
      }
      properties.put(key, value);
    }
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    requireWithinBounds(parse(properties));
    return properties;
  }

  /**
   * How long the relay waits for Kafka's answers on a sent batch, whose transaction stays open
   * meanwhile: the producer's delivery timeout, which bounds every record, plus a margin.
   */
  public static Duration ackTimeout(Properties effective) {
    int deliveryMs = (Integer) parse(effective).get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
    return Duration.ofMillis(deliveryMs).plus(ACK_MARGIN);
  }

  /** Kafka's own parsing: every value has the type and range Kafka's producer requires. */
  private static Map<String, Object> parse(Properties properties) {
    try {
      return ProducerConfig.configDef().parse(properties);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("kafka.producer: " + e.getMessage(), e);
    }
  }

  /**
   * Upper bounds for the waits the relay inherits from the producer. A batch's transaction, its
   * connection and its rows' locks stay open until Kafka answers; the relay retries a failed batch
   * itself, for ever, so the producer need not (the usual "retry for ever" delivery timeout of
   * 2147483647 would keep a batch open for 24 days).
   */
  private static void requireWithinBounds(Map<String, Object> parsed) {
    for (Map.Entry<String, Integer> bound : UPPER_BOUNDS_MS.entrySet()) {
      long value = ((Number) parsed.get(bound.getKey())).longValue();
      if (value > bound.getValue()) {
        throw new IllegalArgumentException(
            "kafka.producer."
                + bound.getKey()
                + "="
                + value
                + " is above the relay's limit of "
                + bound.getValue()
                + " ms: each batch keeps its transaction open that long while Kafka is away,"
                + " and the relay retries failed batches itself without limit");
      }
    }
    long delivery = ((Number) parsed.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).longValue();
    long needed =
        ((Number) parsed.get(ProducerConfig.LINGER_MS_CONFIG)).longValue()
            + ((Number) parsed.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).longValue();
    if (delivery < needed) {
      // The producer itself refuses this, but only when it is built; say it at check time.
      throw new IllegalArgumentException(
          "kafka.producer.delivery.timeout.ms="
              + delivery
              + " must be at least linger.ms + request.timeout.ms ("
              + needed
              + ")");
    }
  }

  /**
   * Why an override would weaken at-least-once, per-key ordered delivery, or null if it does not.
   */
  static String weakness(String key, String value) {
    String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    switch (key) {
      case ProducerConfig.ACKS_CONFIG:
        return normalized.equals("all") || normalized.equals("-1")
            ? null
            : "would acknowledge records before every in-sync replica has them (acks must be all)";
      case ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG:
        return normalized.equals("true")
            ? null
            : "would let producer retries duplicate and reorder records";
      case ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION:
        return isIntBetween(normalized, 1, 5)
            ? null
            : "breaks idempotence, which needs at most 5 in-flight requests";
      case ProducerConfig.RETRIES_CONFIG:
        return isIntBetween(normalized, 1, Integer.MAX_VALUE)
            ? null
            : "would fail records on the first transient broker error";
      case ProducerConfig.PARTITIONER_CLASS_CONFIG:
        return normalized.isEmpty()
            ? null
            : "may send one key's events to several partitions, where they lose their order";
      case ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG:
        return normalized.equals("false")
            ? null
            : "would spread one key's events over several partitions, where they lose their order";
      case ProducerConfig.INTERCEPTOR_CLASSES_CONFIG:
        return normalized.isEmpty()
            ? null
            : "may change records' keys, partitions or content before they are sent";
      default:
        return null;
    }
  }

  private static boolean isIntBetween(String value, int min, int max) {
    try {
      int parsed = Integer.parseInt(value);
      return parsed >= min && parsed <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
