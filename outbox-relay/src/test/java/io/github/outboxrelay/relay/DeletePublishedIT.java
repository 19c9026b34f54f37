package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.assertEveryEventArrivedInKeyOrder;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static io.github.outboxrelay.relay.FaultTestSupport.idsByKey;
import static io.github.outboxrelay.relay.FaultTestSupport.retries;
import static io.github.outboxrelay.relay.FaultTestSupport.writtenByKey;
import static io.github.outboxrelay.relay.RelayTestSupport.commit;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.writer.OutboxEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code outbox.published: delete}: a row is gone once Kafka has it, in write order per key as
 * always; a parked row stays until it is requeued and published.
 */
class DeletePublishedIT {

  @RegisterExtension
  static final RelayHarness harness =
      RelayHarness.onSharedKafka(ConfigOverride.config("outbox.published", "delete"));

  @Test
  void publishedRowsAreDeletedAndArriveInWriteOrderPerKey() throws Exception {
    String topic = harness.createTopic("deleted", 4);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 600, 6);
    long retriesBefore = retries(harness.relay());
    for (int i = 0; i < events.size(); i += 50) {
      commit(harness.postgres(), events.subList(i, i + 50));
    }

    await().atMost(CATCH_UP).until(() -> rows() == 0);
    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(harness.bootstrapServers(), topic);

    assertEveryEventArrivedInKeyOrder(records, events);
    if (retries(harness.relay()) == retriesBefore) {
      assertThat(idsByKey(records)).as("nothing went again").isEqualTo(writtenByKey(events));
    }
  }

  @Test
  void aParkedRowStaysUntilItIsRequeuedAndPublished() throws Exception {
    String topic = harness.createTopic("parked", 1);
    List<OutboxEvent> before = RelayTestSupport.events(topic, 10, 2);
    List<OutboxEvent> after = RelayTestSupport.events(topic, 10, 2);
    UUID broken = UUID.randomUUID();
    try (Connection connection = harness.postgres().dataSource().getConnection()) {
      connection.setAutoCommit(false);
      RelayTestSupport.WRITER.writeAll(connection, before);
      // Written around the writer: a header that is not a string cannot become a record.
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers)"
                  + " VALUES (?, 'order', 'order-broken', 'OrderPlaced', ?, '{}', '{\"k\": 1}')")) {
        insert.setObject(1, broken);
        insert.setString(2, topic);
        insert.executeUpdate();
      }
      RelayTestSupport.WRITER.writeAll(connection, after);
      connection.commit();
    }

    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    assertThat(rows()).as("only the parked row is left").isEqualTo(1);
    assertThat(parked(broken)).isTrue();
    List<UUID> delivered = eventIds(consumeAll(harness.bootstrapServers(), topic));
    assertThat(delivered).doesNotContain(broken);
    assertThat(delivered).containsAll(RelayTestSupport.ids(before));
    assertThat(delivered).containsAll(RelayTestSupport.ids(after));

    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement fix =
            connection.prepareStatement("UPDATE outbox SET headers = NULL WHERE id = ?")) {
      fix.setObject(1, broken);
      fix.executeUpdate();
      ParkedEvents.Released requeued =
          new ParkedEvents("outbox").requeueParked(connection, Optional.of(broken));
      assertThat(requeued.parked()).isEqualTo(1);
    }

    await().atMost(CATCH_UP).until(() -> rows() == 0);
    assertThat(eventIds(consumeAll(harness.bootstrapServers(), topic))).contains(broken);
  }

  private static long rows() throws SQLException {
    return harness.postgres().queryForLong("SELECT count(*) FROM outbox");
  }

  private static boolean parked(UUID id) throws SQLException {
    return harness
            .postgres()
            .queryForLong("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL AND id = ?", id)
        == 1;
  }
}
