package io.github.outboxrelay.relay.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import io.github.outboxrelay.relay.kafka.ManualProducer;
import io.github.outboxrelay.relay.loop.BatchPipeline.Completion;
import io.github.outboxrelay.relay.loop.BatchPipeline.Turn;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline on its own, turn by turn: a scripted producer answers each record, PostgreSQL is
 * real. Each batch's end is a value the loop can act on, and a batch that does not commit cleanly
 * stops the pipeline until nothing is in flight, without letting a later event of its keys overtake
 * it.
 */
class BatchPipelineIT {

  private static final int BATCH_SIZE = 2;

  @RegisterExtension static final PostgresExtension postgres = LoopTestSupport.migratedOutbox();

  private final ManualProducer producer = new ManualProducer();
  private final MetricRegistry registry = new MetricRegistry();
  private final OutboxRepository repository = new OutboxRepository("outbox", PublishedRows.MARK);
  private final FrontierQueries frontiers = new FrontierQueries("outbox", new ObjectMapper());
  private HikariDataSource dataSource;
  private BatchPipeline pipeline;
  private FrontierClaims source;

  @BeforeEach
  void start() throws Exception {
    postgres.execute("TRUNCATE outbox, outbox_relay_position");
    dataSource = LoopTestSupport.pool(postgres);
    // As the relay behind its lease claims, marking published rows.
    source = new FrontierClaims(frontiers, BATCH_SIZE, FrontierClaims.SAVE_INTERVAL);
    pipeline =
        new BatchPipeline(
            dataSource,
            source,
            repository,
            new KafkaPublisher(producer, Duration.ofSeconds(30)),
            new RelayMetrics(
                registry, new io.prometheus.metrics.model.registry.PrometheusRegistry()),
            new RelayStatus(),
            5,
            2);
    pipeline.start();
    pipeline.resume();
  }

  @AfterEach
  void stop() throws Exception {
    producer.completeAll();
    pipeline.stop();
    dataSource.close();
  }

  private Turn turn() throws InterruptedException {
    return pipeline.turn(source::claim);
  }

  @Test
  void acknowledgedBatchesCommitAndTheNextTurnSaysSo() throws Exception {
    write("order-1", 3);

    assertThat(turn()).isEqualTo(new Turn.Claimed(2, false));
    assertThat(turn()).isEqualTo(new Turn.Claimed(1, false));
    producer.completeAll();
    assertThat(pipeline.awaitIdle(Duration.ofSeconds(30))).isTrue();

    assertThat(turn()).isEqualTo(new Turn.Claimed(0, true));
    assertThat(published()).isEqualTo(3);
    assertThat(rolledBack()).isZero();
  }

  @Test
  void aRetriableFailureCommitsWhatItCanAndRollsBackTheBatchBehindBeforeTheNextClaim()
      throws Exception {
    write("order-1", 3); // batch A: events 0 and 1; batch B: event 2, all of one key

    turn();
    turn();
    await().until(() -> producer.history().size() == 3);
    producer.errorNext(new TimeoutException("expired")); // event 0
    producer.completeAll(); // events 1 and 2

    Turn next = turn();
    assertThat(next).isInstanceOf(Turn.Stopped.class);
    assertThat(((Turn.Stopped) next).cause())
        .isEqualTo(new Completion.SomeGoAgain(1, 2, "TimeoutException: expired"));
    assertThat(published()).as("event 1 is held back behind event 0, event 2 rolled back").isZero();
    assertThat(rolledBack()).as("batch A goes again in part, batch B whole").isEqualTo(2);
    assertThat(turn()).as("the rows are claimable again").isEqualTo(new Turn.Claimed(2, false));
  }

  @Test
  void anEventWhoseSendFailedIsNotOvertakenByItsKeyWhileOtherKeysFlowPastIt() throws Exception {
    // A relay that takes over while the broker is away finds no metadata for its first sends;
    // Kafka is back for its next batch, claimed past the first batch's locked rows.
    LoopTestSupport.write(dataSource, "payments", "payment-3", 1); // batch A: awaits its ack
    UUID earlier = write("order-1", 1).get(0).id(); // batch A: no metadata, fails at once
    LoopTestSupport.write(dataSource, "payments", "payment-2", 1); // batch B: published anyway
    UUID later = write("order-1", 1).get(0).id(); // batch B: must not overtake the earlier one
    producer.throwOnSend(
        record -> record.topic().equals("orders"),
        new TimeoutException("Topic orders not present in metadata after 5000 ms."));
    turn();
    producer.throwOnSend(record -> false, null);
    turn();
    await().until(() -> producer.history().size() == 2);
    producer.completeAll();

    assertThat(turn()).isInstanceOf(Turn.Stopped.class);
    assertThat(published()).as("payment-3 and payment-2").isEqualTo(2);
    assertThat(rolledBack()).as("batch A goes again in part; batch B is not rolled back").isOne();
    assertThat(turn()).isEqualTo(new Turn.Claimed(2, true));
    await().until(() -> producer.history().size() == 4);
    producer.completeAll();

    assertThat(producer.history())
        .extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
        .containsExactly("payment-3", "payment-2", "order-1", "order-1");
    assertThat(producer.history().subList(2, 4))
        .extracting(BatchPipelineIT::eventId)
        .as("order-1 in write order")
        .containsExactly(earlier, later);
    await().until(() -> published() == 4);
    assertThat(registry.meter("outbox.relay.records.sent-again").getCount()).isZero();
  }

  @Test
  void kafkaAwayRollsBackEveryBatchAndIsReportedOnce() throws Exception {
    write("order-1", 4);

    turn();
    turn();
    await().until(() -> producer.history().size() == 4);
    while (producer.errorNext(new TimeoutException("no broker"))) {
      // every record of both batches
    }

    Turn next = turn();
    assertThat(next)
        .isEqualTo(
            new Turn.Stopped(new Completion.KafkaUnavailable("TimeoutException: no broker")));
    assertThat(rolledBack()).isEqualTo(2);
    assertThat(published()).isZero();
    assertThat(turn()).isEqualTo(new Turn.Claimed(2, false));
  }

  @Test
  void aFailingClaimIsADatabaseFailureAndGivesItsSlotBack() throws Exception {
    write("order-1", 1);
    SQLException refused = new SQLException("permission denied for table outbox");

    for (int i = 0; i < 3; i++) { // more turns than slots: none may be kept
      Turn failed =
          pipeline.turn(
              connection -> {
                throw refused;
              });
      assertThat(failed).isEqualTo(new Turn.Stopped(new Completion.DatabaseFailed(refused)));
    }

    assertThat(turn()).isEqualTo(new Turn.Claimed(1, false));
  }

  @Test
  void aRequeueThatRacesTheHoldOfItsKeyIsAConflictAndTheKeyGoesAgainInOrder() throws Exception {
    UUID parked = write("order-1", 1).get(0).id();
    postgres.execute(
        "UPDATE outbox SET parked_at = now(), attempts = 5, last_error = 'poison' WHERE id = '"
            + parked
            + "'");
    UUID later = write("order-1", 1).get(0).id(); // claimed to be held behind the parked event
    LoopTestSupport.write(dataSource, "payments", "payment-1", 1); // sent: the batch awaits it

    assertThat(turn()).isEqualTo(new Turn.Claimed(2, false));
    await().until(() -> producer.history().size() == 1);
    // The operator requeues the parked event while the batch is about to hold its key's row by it.
    try (Connection admin = dataSource.getConnection()) {
      admin.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      assertThat(new ParkedEvents("outbox").requeueParked(admin, Optional.of(parked)))
          .isEqualTo(new ParkedEvents.Released(1, 0));
      admin.commit();
    }
    producer.completeAll();
    assertThat(pipeline.awaitIdle(Duration.ofSeconds(30))).isTrue();

    Turn next = turn();
    assertThat(next).isInstanceOf(Turn.Stopped.class);
    assertThat(((Turn.Stopped) next).cause())
        .as("the database is fine: not reported down, nothing held by a requeued event")
        .isInstanceOf(Completion.Conflicted.class);
    assertThat(postgres.queryForLong("SELECT count(*) FROM outbox WHERE held_by IS NOT NULL"))
        .isZero();
    assertThat(turn()).isEqualTo(new Turn.Claimed(2, false));
    assertThat(turn()).isEqualTo(new Turn.Claimed(1, false));
    await().until(() -> producer.history().size() == 4);
    producer.completeAll();
    await().until(() -> published() == 3);
    assertThat(producer.history().subList(1, 4))
        .filteredOn(record -> record.topic().equals("orders"))
        .extracting(BatchPipelineIT::eventId)
        .as("the requeued event, then the later one of its key")
        .containsExactly(parked, later);
  }

  @Test
  void serializationFailuresAndDeadlocksAreConflictsNotAnOutage() {
    SQLException serialization = new SQLException("could not serialize access", "40001");
    SQLException deadlock = new SQLException("deadlock detected", "40P01");
    SQLException gone = new SQLException("Connection refused", "08001");

    assertThat(Completion.ofDatabase(serialization))
        .isEqualTo(new Completion.Conflicted(serialization));
    assertThat(Completion.ofDatabase(deadlock)).isEqualTo(new Completion.Conflicted(deadlock));
    assertThat(Completion.ofDatabase(gone)).isEqualTo(new Completion.DatabaseFailed(gone));
  }

  private List<OutboxEvent> write(String key, int count) throws SQLException {
    return LoopTestSupport.write(dataSource, key, count);
  }

  private static UUID eventId(ProducerRecord<byte[], byte[]> record) {
    return UUID.fromString(
        new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8));
  }

  private long published() throws SQLException {
    return postgres.queryForLong("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL");
  }

  private long rolledBack() {
    return registry.meter("outbox.relay.batches.rolled-back").getCount();
  }
}
