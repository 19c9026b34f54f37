package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.FaultTestSupport.consumeAll;
import static io.github.outboxrelay.relay.FaultTestSupport.eventIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.github.outboxrelay.testing.kafka.KafkaBroker;
import io.github.outboxrelay.testing.kafka.KafkaClients;
import io.github.outboxrelay.testing.kafka.TestKafka;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An outbox table of version 1, holding published history and pending rows, upgraded in place to
 * the latest version: the relay then publishes the pending rows, in write order, and none of the
 * history again.
 */
class UpgradeIT {

  @RegisterExtension static final PostgresExtension postgres = MigratedOutbox.atVersion("1");

  @Test
  void aVersionOneTableIsUpgradedInPlaceAndItsPendingRowsAreDrainedInOrder() throws Exception {
    KafkaBroker broker = TestKafka.shared();
    String topic;
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      topic = KafkaClients.createTopic(admin, "upgraded", 1);
    }
    List<UUID> published = insert(topic, 300, true);
    List<UUID> pending = insert(topic, 200, false);
    published.addAll(insert(topic, 100, true)); // marked out of order, as a retry leaves them

    postgres
        .flyway()
        .locations(OutboxSchema.FLYWAY_LOCATION)
        .placeholders(OutboxSchema.placeholders("outbox"))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
        .load()
        .migrate();
    DropwizardAppExtension<RelayConfiguration> relay =
        new DropwizardAppExtension<>(
            RelayApplication.class,
            ResourceHelpers.resourceFilePath("relay-test.yml"),
            ConfigOverride.config("database.url", postgres.jdbcUrl()),
            ConfigOverride.config("kafka.bootstrapServers", broker.bootstrapServers()));
    relay.before();
    try {
      await().atMost(CATCH_UP).until(() -> RelayTestSupport.pending(postgres) == 0);
    } finally {
      relay.after();
    }

    List<UUID> delivered = eventIds(consumeAll(broker.bootstrapServers(), topic));
    assertThat(delivered).as("the pending rows, in write order, once").isEqualTo(pending);
  }

  /** Rows as version 1 held them: published ({@code published_at} set) or pending. */
  private static List<UUID> insert(String topic, int count, boolean published) throws Exception {
    List<UUID> ids = new ArrayList<>();
    try (Connection connection = postgres.dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload,"
                    + " published_at) VALUES (?, 'order', 'order-1', 'OrderPlaced', ?, '{}', "
                    + (published ? "now())" : "NULL)"))) {
      for (int i = 0; i < count; i++) {
        UUID id = UUID.randomUUID();
        insert.setObject(1, id);
        insert.setString(2, topic);
        insert.executeUpdate();
        ids.add(id);
      }
    }
    return ids;
  }
}
