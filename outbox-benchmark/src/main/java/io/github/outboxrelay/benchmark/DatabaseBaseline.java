package io.github.outboxrelay.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.relay.core.Frontier;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.OutboxRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Baseline (b): PostgreSQL alone claiming (from a frontier, as the relay behind its lease does) and
 * recording the same rows as published in the same batches, with the relay's own SQL and no Kafka
 * in between: a mark or delete in the claim's transaction, or with {@link PublishedRows#KEEP} the
 * position stored after each batch, in a transaction of its own, as the relay stores it. What the
 * database alone allows here. Like the relay, it first drains warm-up rows on its connection, then
 * the timed rows committed after them.
 */
final class DatabaseBaseline implements AutoCloseable {

  private final Connection connection;
  private final int batchSize;
  private final PublishedRows published;
  private final OutboxRepository repository;
  private final FrontierQueries frontiers = new FrontierQueries("outbox", new ObjectMapper());
  private Frontier frontier = Frontier.START;

  private DatabaseBaseline(Connection connection, int batchSize, PublishedRows published) {
    this.connection = connection;
    this.batchSize = batchSize;
    this.published = published;
    this.repository = new OutboxRepository("outbox", published);
  }

  /** One connection, set up as the relay's pool sets up its own, claiming from the start. */
  static DatabaseBaseline open(OutboxData data, int batchSize, PublishedRows published)
      throws SQLException {
    Connection connection = data.connect();
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try (java.sql.Statement statement = connection.createStatement()) {
      statement.execute("SET plan_cache_mode = force_custom_plan"); // as the relay's pool does
    }
    connection.commit();
    return new DatabaseBaseline(connection, batchSize, published);
  }

  /** What (b) does besides the claim, for the table. */
  static String describe(PublishedRows published) {
    return switch (published) {
      case KEEP -> "position";
      case MARK -> "mark";
      case DELETE -> "delete";
    };
  }

  /** Claims and records every row committed above the frontier so far, going on from there. */
  Measurement drain() throws SQLException {
    long events = 0;
    long start = System.nanoTime();
    while (true) {
      FrontierQueries.FrontierClaim claim = frontiers.claim(connection, frontier, batchSize);
      List<OutboxRow> rows = claim.rows();
      if (rows.isEmpty()) {
        connection.commit();
        break;
      }
      long[] seqs = new long[rows.size()];
      for (int i = 0; i < seqs.length; i++) {
        seqs[i] = rows.get(i).seq();
      }
      repository.markPublished(connection, seqs); // nothing with KEEP
      connection.commit();
      frontier = frontier.afterClaim(seqs, claim.snapshot(), batchSize);
      if (published == PublishedRows.KEEP) {
        frontiers.saveFrontier(connection, frontier);
        connection.commit();
      }
      events += rows.size();
    }
    return new Measurement(events, (System.nanoTime() - start) / 1e9);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
