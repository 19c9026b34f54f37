package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many threads, many transactions, one shared writer: the table holds exactly what committed. */
class ConcurrentOutboxWritersIT {

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private static final int THREADS = 12;
  private static final int TRANSACTIONS_PER_THREAD = 60;

  @BeforeAll
  static void createTables() {
    postgres
        .flyway()
        .locations(OutboxSchema.FLYWAY_LOCATION)
        .placeholders(OutboxSchema.placeholders("outbox"))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
        .load()
        .migrate();
  }

  @Test
  void concurrentTransactionsLeaveExactlyTheCommittedEventsWithUniqueIds() throws Exception {
    OutboxWriter writer = OutboxWriter.builder().build();
    Set<UUID> committed = ConcurrentHashMap.newKeySet();
    Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Void>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Callable<Void> work =
            () -> {
              for (int i = 0; i < TRANSACTIONS_PER_THREAD; i++) {
                runTransaction(writer, thread, i, committed, rolledBack);
              }
              return null;
            };
        results.add(pool.submit(work));
      }
      for (Future<Void> result : results) {
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }

    Set<UUID> stored = storedIds();
    assertThat(committed).isNotEmpty();
    assertThat(rolledBack).isNotEmpty();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(committed);
    assertThat(stored).doesNotContainAnyElementsOf(rolledBack);
  }

  /** Each transaction writes one to three events; every fifth one rolls back. */
  private static void runTransaction(
      OutboxWriter writer, int thread, int index, Set<UUID> committed, Set<UUID> rolledBack)
      throws SQLException {
    List<OutboxEvent> events = new ArrayList<>();
    for (int e = 0; e <= index % 3; e++) {
      events.add(
          OutboxEvent.builder()
              .aggregateType("order")
              .aggregateId(thread + "-" + index)
              .eventType("OrderLine" + e)
              .jsonPayload("{\"line\":" + e + "}")
              .build());
    }
    try (Connection connection = postgres.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      if (events.size() == 1) {
        writer.write(connection, events.get(0));
      } else {
        writer.writeAll(connection, events);
      }
      if (index % 5 == 4) {
        connection.rollback();
        events.forEach(event -> rolledBack.add(event.id()));
      } else {
        connection.commit();
        events.forEach(event -> committed.add(event.id()));
      }
    }
  }

  private static Set<UUID> storedIds() throws SQLException {
    Set<UUID> ids = new HashSet<>();
    try (Connection connection = postgres.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT id FROM outbox");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        assertThat(ids.add(rows.getObject(1, UUID.class))).isTrue();
      }
    }
    return ids;
  }
}
