package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.parkedOrAttempted;
import static io.github.outboxrelay.relay.FaultTestSupport.publishedCount;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.relay.FaultTestSupport.ContinuousWriter;
import io.github.outboxrelay.writer.OutboxEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL drops the relay's connections while events are being written: the pool replaces them,
 * the relay carries on, every event arrives and none is parked.
 *
 * <p>The tests share one PostgreSQL server, which they cannot restart; terminating the relay's
 * backends with {@code pg_terminate_backend} is the stand-in. To a client it looks the same as a
 * server restart or failover: every open connection breaks, including one in the middle of a
 * claimed batch. Only this relay's backends are terminated: its connections carry an application
 * name of their own (the JDBC URL's {@code ApplicationName}, which wins over the pool's), so relays
 * of other test classes or builds on the same server are left alone.
 */
class DatabaseOutageIT {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageIT.class);
  private static final int OUTAGES = 3;

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(ConfigOverride.config("outbox.listenNotify", "true"));

  @Test
  void theRelayRecoversFromDroppedConnectionsAndDeliversEveryEvent() throws Exception {
    String topic = harness.createTopic("db-outage", 3);
    Set<UUID> committed;
    try (ContinuousWriter writer = ContinuousWriter.start(harness.postgres(), topic)) {
      for (int outage = 0; outage < OUTAGES; outage++) {
        long published = publishedCount(harness.postgres(), topic);
        await()
            .atMost(CATCH_UP)
            .until(() -> publishedCount(harness.postgres(), topic) > published + 50);

        assertThat(terminateRelayConnections()).as("relay connections terminated").isPositive();
        OutboxEvent marker = RelayTestSupport.event(topic, "marker", "{\"outage\":" + outage + "}");
        RelayTestSupport.commit(harness.postgres(), List.of(marker));
        writer.include(marker);
        await().atMost(CATCH_UP).until(() -> isPublished(marker));
      }
      committed = writer.stop();
    }
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);

    List<UUID> received = eventIds(consumeAll(harness.bootstrapServers(), topic));
    assertThat(new HashSet<>(received)).isEqualTo(committed);
    assertThat(parkedOrAttempted(harness.postgres(), topic)).isZero();
    await().atMost(CATCH_UP).until(() -> listenerConnections() == 1);
    LOG.info("{} events, {} records after {} outages", committed.size(), received.size(), OUTAGES);
  }

  private static long terminateRelayConnections() throws Exception {
    return harness
        .postgres()
        .queryForLong(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = ? AND pid <> pg_backend_pid()) AS terminated",
            harness.applicationName());
  }

  /** The notification listener's connection, once it has reconnected and listens again. */
  private static long listenerConnections() throws Exception {
    return harness
        .postgres()
        .queryForLong(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND query LIKE 'LISTEN%'",
            harness.applicationName());
  }

  private static boolean isPublished(OutboxEvent event) throws Exception {
    return harness
            .postgres()
            .queryForLong(
                "SELECT count(*) FROM " + RelayTestSupport.PUBLISHED + " AND id = ?", event.id())
        == 1;
  }
}
