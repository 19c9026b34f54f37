package io.github.outboxrelay.benchmark;

import java.time.Duration;
import java.util.Map;

/**
 * What carries the latency benchmark's events from the table to Kafka: the relay (NOTIFY wake-up on
 * or off) or Debezium. Started, and ready, before the writers begin.
 */
interface Carrier {

  String mode();

  AutoCloseable start(BenchmarkSettings settings, OutboxData data, String bootstrapServers)
      throws Exception;

  static Carrier relay(boolean notify) {
    return new Carrier() {
      @Override
      public String mode() {
        return "relay, NOTIFY " + (notify ? "on" : "off");
      }

      @Override
      public AutoCloseable start(
          BenchmarkSettings settings, OutboxData data, String bootstrapServers) throws Exception {
        RelayProcess relay =
            RelayProcess.start(
                settings,
                bootstrapServers,
                settings.effectiveBatchSize(),
                Map.of("OUTBOX_LISTEN_NOTIFY", String.valueOf(notify)));
        relay.awaitHealthy(Duration.ofSeconds(60));
        return relay;
      }
    };
  }

  static Carrier debezium() {
    return new Carrier() {
      @Override
      public String mode() {
        return "(c) Debezium";
      }

      @Override
      public AutoCloseable start(
          BenchmarkSettings settings, OutboxData data, String bootstrapServers) throws Exception {
        return DebeziumProcess.start(settings, data, bootstrapServers);
      }
    };
  }
}
