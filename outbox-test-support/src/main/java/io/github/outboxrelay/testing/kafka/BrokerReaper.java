package io.github.outboxrelay.testing.kafka;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills the brokers still alive when the test JVM exits normally, and deletes their data. The
 * shared broker is never closed by a test, so this is what cleans it up. (When the JVM dies without
 * running hooks, {@link LocalKafkaMain} makes the broker halt itself.)
 */
final class BrokerReaper {

  private static final Set<LocalKafkaBroker> BROKERS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(BrokerReaper::reapAll, "outbox-kafka-broker-reaper"));
  }

  private BrokerReaper() {}

  static void register(LocalKafkaBroker broker) {
    BROKERS.add(broker);
  }

  static void unregister(LocalKafkaBroker broker) {
    BROKERS.remove(broker);
  }

  private static void reapAll() {
    for (LocalKafkaBroker broker : BROKERS) {
      try {
        broker.reap();
      } catch (RuntimeException e) {
        // Nothing useful to do this late; the next broker still deserves its cleanup.
      }
    }
  }
}
