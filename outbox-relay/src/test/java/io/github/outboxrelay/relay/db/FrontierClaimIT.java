package io.github.outboxrelay.relay.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.relay.MigratedOutbox;
import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The frontier claim against real PostgreSQL transactions: rows that commit below the cursor after
 * a claim passed them are claimed next, ahead of later events of their key, and nothing is claimed
 * twice or skipped.
 */
class FrontierClaimIT {

  @RegisterExtension static final PostgresExtension postgres = MigratedOutbox.latest();

  private static final OutboxWriter WRITER = OutboxWriter.builder().build();
  private final FrontierQueries frontiers = new FrontierQueries("outbox", new ObjectMapper());
  private final List<Connection> open = new ArrayList<>();

  @BeforeEach
  void empty() throws SQLException {
    postgres.execute("TRUNCATE outbox");
  }

  @AfterEach
  void close() throws SQLException {
    for (Connection connection : open) {
      connection.close();
    }
  }

  @Test
  void aRowCommittedBelowTheCursorIsClaimedBeforeALaterEventOfItsKey() throws SQLException {
    Connection writerA = transaction();
    write(writerA, "X", "a1"); // seq 1, uncommitted
    Connection writerB = transaction();
    write(writerB, "Y", "b1"); // seq 2
    writerB.commit();
    Frontier frontier = Frontier.START;

    frontier = claim(frontier, 10, "b1");
    writerA.commit();
    Connection writerC = transaction();
    write(writerC, "X", "c1"); // seq 3, written after A committed
    writerC.commit();

    claim(frontier, 10, "a1", "c1");
  }

  @Test
  void aLargeTransactionBelowTheCursorIsClaimedInBatchesInOrder() throws SQLException {
    Connection bulk = transaction();
    for (int i = 0; i < 5; i++) {
      write(bulk, "bulk", "bulk-" + i);
    }
    Connection small = transaction();
    write(small, "small", "small");
    small.commit();
    Frontier frontier = claim(Frontier.START, 2, "small");
    bulk.commit();

    frontier = claim(frontier, 2, "bulk-0", "bulk-1");
    frontier = claim(frontier, 2, "bulk-2", "bulk-3");
    frontier = claim(frontier, 2, "bulk-4");
    claim(frontier, 2);
  }

  @Test
  void reopenedRowsComeBackInSeqOrderAndOnlyOnce() throws SQLException {
    Connection writer = transaction();
    for (int i = 0; i < 4; i++) {
      write(writer, "k", "e" + i);
    }
    writer.commit();
    Frontier frontier = claim(Frontier.START, 10, "e0", "e1", "e2", "e3");
    long[] seqs = seqsOf("e1", "e2");
    Connection next = transaction();
    write(next, "k", "e4");
    next.commit();

    claim(frontier.reopen(seqs), 10, "e1", "e2", "e4");
  }

  /** Claims in a repeatable-read transaction, as the relay does, and expects these payloads. */
  private Frontier claim(Frontier frontier, int limit, String... expected) throws SQLException {
    try (Connection connection = postgres.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      FrontierQueries.FrontierClaim claim = frontiers.claim(connection, frontier, limit);
      connection.commit();
      assertThat(claim.rows().stream().map(row -> new String(row.payload(), UTF8)))
          .containsExactly(expected);
      long[] claimed = claim.rows().stream().mapToLong(OutboxRow::seq).toArray();
      return frontier.afterClaim(claimed, claim.snapshot(), limit);
    }
  }

  private static final java.nio.charset.Charset UTF8 = java.nio.charset.StandardCharsets.UTF_8;

  private Connection transaction() throws SQLException {
    Connection connection = postgres.dataSource().getConnection();
    connection.setAutoCommit(false);
    open.add(connection);
    return connection;
  }

  private static void write(Connection connection, String key, String payload) throws SQLException {
    WRITER.write(
        connection,
        OutboxEvent.builder()
            .aggregateType("order")
            .aggregateId(key)
            .eventType("T")
            .topic("t")
            .payload(payload.getBytes(UTF8))
            .build());
  }

  private static long[] seqsOf(String... payloads) throws SQLException {
    long[] seqs = new long[payloads.length];
    for (int i = 0; i < payloads.length; i++) {
      seqs[i] =
          postgres.queryForLong(
              "SELECT seq FROM outbox WHERE payload = convert_to(?, 'UTF8')", payloads[i]);
    }
    return seqs;
  }
}
