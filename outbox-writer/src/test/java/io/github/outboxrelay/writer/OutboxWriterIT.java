package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The writer against a real PostgreSQL: what commits, what does not, and what is refused. */
class OutboxWriterIT {

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private final OutboxWriter writer = OutboxWriter.builder().build();

  @BeforeAll
  static void createTables() throws SQLException {
    postgres
        .flyway()
        .locations(OutboxSchema.FLYWAY_LOCATION)
        .placeholders(OutboxSchema.placeholders("outbox"))
        .table(OutboxSchema.FLYWAY_HISTORY_TABLE)
        .load()
        .migrate();
    postgres.execute("CREATE TABLE orders (id TEXT PRIMARY KEY)");
  }

  @BeforeEach
  void emptyTables() throws SQLException {
    postgres.execute("TRUNCATE outbox, orders");
  }

  static OutboxEvent orderPlaced(String orderId) {
    return OutboxEvent.builder()
        .aggregateType("order")
        .aggregateId(orderId)
        .eventType("OrderPlaced")
        .jsonPayload("{\"orderId\":\"" + orderId + "\"}")
        .build();
  }

  static void insertOrder(Connection connection, String orderId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
      statement.setString(1, orderId);
      statement.executeUpdate();
    }
  }

  static long count(String table) throws SQLException {
    return postgres.queryForLong("SELECT count(*) FROM " + table);
  }

  static Connection transaction() throws SQLException {
    Connection connection = postgres.dataSource().getConnection();
    connection.setAutoCommit(false);
    return connection;
  }

  @Nested
  class TraceContextOfTheActiveSpan {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private io.opentelemetry.context.Scope activeSpan() {
      return io.opentelemetry.api.trace.Span.wrap(
              io.opentelemetry.api.trace.SpanContext.create(
                  TRACE_ID,
                  SPAN_ID,
                  io.opentelemetry.api.trace.TraceFlags.getSampled(),
                  io.opentelemetry.api.trace.TraceState.builder().put("rojo", "1").build()))
          .makeCurrent();
    }

    private java.util.Map<String, String> headersOf(OutboxEvent event) throws SQLException {
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      try (Connection connection = postgres.dataSource().getConnection();
          PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT h.key, h.value FROM outbox o, jsonb_each_text(o.headers) h"
                      + " WHERE o.id = ?")) {
        statement.setObject(1, event.id());
        try (java.sql.ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            headers.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return headers;
    }

    @Test
    void theWriterAddsTheW3cTraceContextOfTheCurrentSpan() throws Exception {
      OutboxEvent event = orderPlaced("o-traced");
      try (io.opentelemetry.context.Scope scope = activeSpan();
          Connection connection = transaction()) {
        writer.writeAndCommit(connection, event);
      }

      assertThat(headersOf(event))
          .containsEntry("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01")
          .containsEntry("tracestate", "rojo=1");
    }

    @Test
    void anEventsOwnTraceparentWinsAndWithoutASpanNothingIsAdded() throws Exception {
      String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      OutboxEvent explicit =
          OutboxEvent.builder()
              .aggregateType("order")
              .aggregateId("o-own")
              .eventType("OrderPlaced")
              .jsonPayload("{}")
              .header("traceparent", own)
              .build();
      OutboxEvent untraced = orderPlaced("o-untraced");
      try (io.opentelemetry.context.Scope scope = activeSpan();
          Connection connection = transaction()) {
        writer.writeAndCommit(connection, explicit);
      }
      try (Connection connection = transaction()) {
        writer.writeAndCommit(connection, untraced);
      }

      assertThat(headersOf(explicit))
          .containsEntry("traceparent", own)
          .doesNotContainKey("tracestate");
      assertThat(headersOf(untraced)).isEmpty();
    }
  }

  @Nested
  class Atomicity {

    @Test
    void committedTransactionKeepsTheOrderAndItsEvent() throws SQLException {
      OutboxEvent event = orderPlaced("o-1");
      try (Connection connection = transaction()) {
        insertOrder(connection, "o-1");
        writer.write(connection, event);
        connection.commit();
      }

      assertThat(count("orders")).isEqualTo(1);
      try (Connection connection = postgres.dataSource().getConnection();
          PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT id, aggregatetype, aggregateid, type, topic, payload, headers,"
                      + " published_at, attempts, parked_at, created_at FROM outbox");
          ResultSet row = statement.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getObject("id", UUID.class)).isEqualTo(event.id());
        assertThat(row.getString("aggregatetype")).isEqualTo("order");
        assertThat(row.getString("aggregateid")).isEqualTo("o-1");
        assertThat(row.getString("type")).isEqualTo("OrderPlaced");
        assertThat(row.getString("topic")).isEqualTo("outbox.event.order");
        assertThat(new String(row.getBytes("payload"), StandardCharsets.UTF_8))
            .isEqualTo("{\"orderId\":\"o-1\"}");
        assertThat(row.getString("headers")).isNull();
        assertThat(row.getObject("published_at")).isNull();
        assertThat(row.getInt("attempts")).isZero();
        assertThat(row.getObject("parked_at")).isNull();
        assertThat(row.getObject("created_at")).isNotNull();
        assertThat(row.next()).isFalse();
      }
    }

    @Test
    void rolledBackTransactionLeavesNothing() throws SQLException {
      try (Connection connection = transaction()) {
        insertOrder(connection, "o-1");
        writer.write(connection, orderPlaced("o-1"));
        connection.rollback();
      }

      assertThat(count("orders")).isZero();
      assertThat(count("outbox")).isZero();
    }

    @Test
    void failureBetweenBusinessWriteAndOutboxWriteLeavesNeither() throws SQLException {
      try (Connection connection = transaction()) {
        try {
          insertOrder(connection, "o-1");
          failPaymentCheck();
          writer.write(connection, orderPlaced("o-1"));
          connection.commit();
        } catch (IllegalStateException paymentDeclined) {
          connection.rollback();
        }
      }

      assertThat(count("orders")).isZero();
      assertThat(count("outbox")).isZero();
    }

    @Test
    void failureAfterTheOutboxWriteLeavesNeither() throws SQLException {
      try (Connection connection = transaction()) {
        writer.write(connection, orderPlaced("o-1"));
        insertOrder(connection, "o-1");
        assertThatThrownBy(() -> insertOrder(connection, "o-1"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("duplicate key");
        connection.rollback();
      }

      assertThat(count("orders")).isZero();
      assertThat(count("outbox")).isZero();
    }

    @Test
    void uncommittedEventIsInvisibleToOthersAndTheWriterLeavesTheConnectionAlone()
        throws SQLException {
      try (Connection connection = transaction()) {
        writer.write(connection, orderPlaced("o-1"));

        assertThat(count("outbox")).as("seen from another connection").isZero();
        assertThat(connection.isClosed()).isFalse();
        assertThat(connection.getAutoCommit()).isFalse();
        connection.commit();
      }
      assertThat(count("outbox")).isEqualTo(1);
    }

    private static void failPaymentCheck() {
      throw new IllegalStateException("payment declined");
    }
  }

  @Nested
  class WriteAndCommit {

    @Test
    void commitsTheBusinessRowsAndTheEventAndLeavesTheConnectionInTransactionMode()
        throws SQLException {
      try (Connection connection = transaction()) {
        insertOrder(connection, "o-1");
        writer.writeAndCommit(connection, orderPlaced("o-1"));

        assertThat(count("orders")).as("seen from another connection").isEqualTo(1);
        assertThat(count("outbox")).as("seen from another connection").isEqualTo(1);
        assertThat(connection.getAutoCommit()).isFalse();
        insertOrder(connection, "o-2"); // a new transaction, the caller's to end
        connection.rollback();
      }
      assertThat(count("orders")).isEqualTo(1);
    }

    @Test
    void keepsWorkingOnceTheDriverPreparesTheStatementOnTheServer() throws SQLException {
      try (Connection connection = transaction()) {
        for (int i = 0; i < 12; i++) { // pgjdbc switches to a server-side statement at the 5th
          insertOrder(connection, "o-" + i);
          writer.writeAndCommit(connection, orderPlaced("o-" + i));
        }
      }
      assertThat(count("orders")).isEqualTo(12);
      assertThat(count("outbox")).isEqualTo(12);
    }

    @Test
    void aFailedInsertCommitsNothing() throws SQLException {
      OutboxWriter elsewhere = OutboxWriter.builder().table("no_such_outbox").build();
      try (Connection connection = transaction()) {
        insertOrder(connection, "o-1");
        assertThatThrownBy(() -> elsewhere.writeAndCommit(connection, orderPlaced("o-1")))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("no_such_outbox");

        assertThat(count("orders")).as("before the caller rolls back").isZero();
        connection.rollback();
      }
      assertThat(count("orders")).isZero();
    }

    @Test
    void aFailedCommitSurfacesAndCommitsNothing() throws SQLException {
      postgres.execute(
          "CREATE TABLE IF NOT EXISTS reservations (seat TEXT,"
              + " CONSTRAINT one_per_seat UNIQUE (seat) DEFERRABLE INITIALLY DEFERRED)");
      try (Connection connection = transaction()) {
        try (PreparedStatement statement =
            connection.prepareStatement("INSERT INTO reservations VALUES ('12A'), ('12A')")) {
          statement.executeUpdate(); // checked only at commit
        }
        assertThatThrownBy(() -> writer.writeAndCommit(connection, orderPlaced("o-1")))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("one_per_seat");
        connection.rollback();
      }
      assertThat(count("reservations")).isZero();
      assertThat(count("outbox")).isZero();
    }

    @Test
    void aRefusedEventCommitsNothingAndLeavesTheTransactionOpen() throws SQLException {
      OutboxWriter small = OutboxWriter.builder().maxPayloadBytes(8).build();
      try (Connection connection = transaction()) {
        insertOrder(connection, "o-1");
        assertThatThrownBy(() -> small.writeAndCommit(connection, orderPlaced("o-1")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("payload");

        assertThat(count("orders")).isZero();
        connection.rollback();
      }
      assertThat(count("outbox")).isZero();
    }

    @Test
    void anAutocommitConnectionIsRefused() throws SQLException {
      try (Connection connection = postgres.dataSource().getConnection()) {
        connection.setAutoCommit(true);
        assertThatThrownBy(() -> writer.writeAndCommit(connection, orderPlaced("o-1")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("autocommit mode");
      }
      assertThat(count("outbox")).isZero();
    }
  }

  @Nested
  class Refusals {

    @Test
    void autocommitConnectionIsRefusedAndNothingIsWritten() throws SQLException {
      try (Connection connection = postgres.dataSource().getConnection()) {
        connection.setAutoCommit(true);

        assertThatThrownBy(() -> writer.write(connection, orderPlaced("o-1")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("autocommit mode")
            .hasMessageContaining("outside the business transaction");
        assertThatThrownBy(() -> writer.writeAll(connection, List.of(orderPlaced("o-2"))))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("autocommit mode");
      }
      assertThat(count("outbox")).isZero();
    }

    @Test
    void oversizePayloadIsRefusedBeforeAnySqlSoTheTransactionCarriesOn() throws SQLException {
      OutboxWriter small = OutboxWriter.builder().maxPayloadBytes(32).build();
      OutboxEvent big =
          OutboxEvent.builder()
              .aggregateType("order")
              .aggregateId("o-1")
              .eventType("OrderPlaced")
              .payload(new byte[33])
              .build();
      try (Connection connection = transaction()) {
        insertOrder(connection, "o-1");

        assertThatThrownBy(() -> small.write(connection, big))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event payload is 33 bytes, more than maxPayloadBytes (32)");

        // No statement failed, so the transaction is still usable.
        small.write(connection, orderPlaced("o-1"));
        connection.commit();
      }
      assertThat(count("orders")).isEqualTo(1);
      assertThat(count("outbox")).isEqualTo(1);
    }

    @Test
    void defaultPayloadLimitIsOneMebibyte() throws SQLException {
      OutboxEvent atLimit = withPayload(new byte[1024 * 1024]);
      OutboxEvent overLimit = withPayload(new byte[1024 * 1024 + 1]);
      try (Connection connection = transaction()) {
        writer.write(connection, atLimit);
        assertThatThrownBy(() -> writer.write(connection, overLimit))
            .hasMessageContaining("more than maxPayloadBytes (1048576)");
        connection.commit();
      }
      assertThat(postgres.queryForLong("SELECT length(payload) FROM outbox"))
          .isEqualTo(1024 * 1024);
    }

    @Test
    void tooManyOrOversizeHeadersAreRefused() throws SQLException {
      OutboxWriter strict = OutboxWriter.builder().maxHeaders(2).maxHeaderValueBytes(4).build();
      OutboxEvent threeHeaders =
          OutboxEvent.builder()
              .aggregateType("order")
              .aggregateId("o-1")
              .eventType("OrderPlaced")
              .jsonPayload("{}")
              .header("a", "1")
              .header("b", "2")
              .header("c", "3")
              .build();
      OutboxEvent longValue =
          OutboxEvent.builder()
              .aggregateType("order")
              .aggregateId("o-1")
              .eventType("OrderPlaced")
              .jsonPayload("{}")
              .header("trace", "ééé") // 6 bytes in UTF-8
              .build();
      try (Connection connection = transaction()) {
        assertThatThrownBy(() -> strict.write(connection, threeHeaders))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event has 3 headers, more than maxHeaders (2)");
        assertThatThrownBy(() -> strict.write(connection, longValue))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event header 'trace' value is 6 bytes, more than maxHeaderValueBytes (4)");
        connection.commit();
      }
      assertThat(count("outbox")).isZero();
    }

    @Test
    void aggregateTypeThatRoutesToAnIllegalTopicIsRefused() throws SQLException {
      OutboxEvent event =
          OutboxEvent.builder()
              .aggregateType("sales order")
              .aggregateId("o-1")
              .eventType("OrderPlaced")
              .jsonPayload("{}")
              .build();
      try (Connection connection = transaction()) {
        assertThatThrownBy(() -> writer.write(connection, event))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("topic routed from aggregateType 'outbox.event.sales order'")
            .hasMessageContaining("illegal character ' '")
            .hasMessageContaining("set the topic");
        connection.commit();
      }
      assertThat(count("outbox")).isZero();
    }

    @Test
    void badEventInABatchWritesNoneOfTheBatch() throws SQLException {
      OutboxWriter small = OutboxWriter.builder().maxPayloadBytes(64).build();
      List<OutboxEvent> events = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        events.add(orderPlaced("o-" + i));
      }
      events.add(withPayload(new byte[65]));
      try (Connection connection = transaction()) {
        assertThatThrownBy(() -> small.writeAll(connection, events))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("events[10] payload is 65 bytes, more than maxPayloadBytes (64)");
        connection.commit();
      }
      assertThat(count("outbox")).isZero();
    }

    @Test
    void duplicateIdsInOneBatchAreRefused() throws SQLException {
      OutboxEvent first = orderPlaced("o-1");
      OutboxEvent again =
          OutboxEvent.builder()
              .id(first.id())
              .aggregateType("order")
              .aggregateId("o-2")
              .eventType("OrderPlaced")
              .jsonPayload("{}")
              .build();
      try (Connection connection = transaction()) {
        assertThatThrownBy(
                () -> writer.writeAll(connection, List.of(first, orderPlaced("o-3"), again)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("events[2] has the same id as events[0]: " + first.id());
        connection.commit();
      }
      assertThat(count("outbox")).isZero();
    }

    @Test
    void nullArgumentsAreNamed() throws SQLException {
      try (Connection connection = transaction()) {
        assertThatThrownBy(() -> writer.write(null, orderPlaced("o-1")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("connection must not be null");
        assertThatThrownBy(() -> writer.write(connection, null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event must not be null");
        assertThatThrownBy(() -> writer.writeAll(connection, null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("events must not be null");
        List<OutboxEvent> withNull = new ArrayList<>();
        withNull.add(orderPlaced("o-1"));
        withNull.add(null);
        assertThatThrownBy(() -> writer.writeAll(connection, withNull))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("events[1] must not be null");
        connection.rollback();
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"write", "writeAndCommit", "writeAll", "writeAll element"})
    void aNullEventIsRefusedWithAnIllegalArgumentExceptionAndWritesNothing(String method)
        throws SQLException {
      List<OutboxEvent> withNull = new ArrayList<>();
      withNull.add(null);
      try (Connection connection = transaction()) {
        insertOrder(connection, "o-1");
        ThrowingCallable call =
            switch (method) {
              case "write" -> () -> writer.write(connection, null);
              case "writeAndCommit" -> () -> writer.writeAndCommit(connection, null);
              case "writeAll" -> () -> writer.writeAll(connection, null);
              default -> () -> writer.writeAll(connection, withNull);
            };
        assertThatThrownBy(call)
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageEndingWith("must not be null");
        connection.commit(); // the transaction is still usable
      }
      assertThat(count("orders")).isEqualTo(1);
      assertThat(count("outbox")).isZero();
    }

    @Test
    void missingTableSurfacesTheDatabaseError() throws SQLException {
      OutboxWriter elsewhere = OutboxWriter.builder().table("no_such_outbox").build();
      try (Connection connection = transaction()) {
        assertThatThrownBy(() -> elsewhere.write(connection, orderPlaced("o-1")))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("no_such_outbox");
        connection.rollback();
      }
    }

    private static OutboxEvent withPayload(byte[] payload) {
      return OutboxEvent.builder()
          .aggregateType("order")
          .aggregateId("o-big")
          .eventType("OrderPlaced")
          .payload(payload)
          .build();
    }
  }

  @Nested
  class Contents {

    @Test
    void headersAreStoredAsAJsonObject() throws SQLException {
      OutboxEvent event =
          OutboxEvent.builder()
              .aggregateType("order")
              .aggregateId("o-1")
              .eventType("OrderPlaced")
              .jsonPayload("{}")
              .header("traceparent", "00-abc-def-01")
              .header("quote", "say \"hi\"\n\\ bye")
              .build();
      try (Connection connection = transaction()) {
        writer.write(connection, event);
        connection.commit();
      }

      assertThat(
              postgres.queryForLong(
                  "SELECT count(*) FROM outbox WHERE headers = ?::jsonb",
                  "{\"traceparent\":\"00-abc-def-01\",\"quote\":\"say \\\"hi\\\"\\n\\\\ bye\"}"))
          .isEqualTo(1);
    }

    @Test
    void explicitTopicWinsOverTheRouterAndTheRouterIsConfigurable() throws SQLException {
      OutboxWriter prefixed =
          OutboxWriter.builder().topicRouter(TopicRouter.prefix("shop.")).build();
      try (Connection connection = transaction()) {
        prefixed.write(connection, orderPlaced("o-1"));
        prefixed.write(
            connection,
            OutboxEvent.builder()
                .aggregateType("order")
                .aggregateId("o-2")
                .eventType("OrderPlaced")
                .topic("orders-v2")
                .jsonPayload("{}")
                .build());
        connection.commit();
      }

      assertThat(postgres.queryForLong("SELECT count(*) FROM outbox WHERE topic = 'shop.order'"))
          .isEqualTo(1);
      assertThat(postgres.queryForLong("SELECT count(*) FROM outbox WHERE topic = 'orders-v2'"))
          .isEqualTo(1);
    }

    @Test
    void rewritingAKnownEventIdIsANoOp() throws SQLException {
      OutboxEvent event = orderPlaced("o-1");
      try (Connection connection = transaction()) {
        writer.write(connection, event);
        connection.commit();
      }
      try (Connection connection = transaction()) {
        writer.write(connection, event);
        writer.writeAll(connection, List.of(event, orderPlaced("o-2")));
        insertOrder(connection, "o-2");
        connection.commit();
      }

      assertThat(count("outbox")).isEqualTo(2);
      assertThat(count("orders")).as("the transaction went on after the re-write").isEqualTo(1);
    }

    @Test
    void writerUsesASchemaQualifiedTable() throws SQLException {
      OutboxWriter qualified = OutboxWriter.builder().table(postgres.schema() + ".outbox").build();
      try (Connection connection = transaction()) {
        qualified.write(connection, orderPlaced("o-1"));
        connection.commit();
      }
      assertThat(count("outbox")).isEqualTo(1);
    }

    @Test
    void batchOfThousandsKeepsItsOrderAsClaimOrder() throws SQLException {
      int size = 5_000;
      List<OutboxEvent> events = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        events.add(orderPlaced("o-" + i));
      }
      try (Connection connection = transaction()) {
        writer.writeAll(connection, events);
        connection.commit();
      }

      List<UUID> stored = new ArrayList<>(size);
      try (Connection connection = postgres.dataSource().getConnection();
          PreparedStatement statement =
              connection.prepareStatement("SELECT id FROM outbox ORDER BY seq");
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          stored.add(rows.getObject(1, UUID.class));
        }
      }
      assertThat(stored).containsExactlyElementsOf(events.stream().map(OutboxEvent::id).toList());
    }

    @Test
    void emptyBatchWritesNothing() throws SQLException {
      try (Connection connection = transaction()) {
        writer.writeAll(connection, List.of());
        connection.commit();
      }
      assertThat(count("outbox")).isZero();
    }

    @Test
    void binaryPayloadSurvivesUnchanged() throws SQLException {
      byte[] payload = new byte[256];
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) i;
      }
      try (Connection connection = transaction()) {
        writer.write(
            connection,
            OutboxEvent.builder()
                .aggregateType("blob")
                .aggregateId("b-1")
                .eventType("BlobStored")
                .payload(payload)
                .headers(Map.of())
                .build());
        connection.commit();
      }
      try (Connection connection = postgres.dataSource().getConnection();
          PreparedStatement statement = connection.prepareStatement("SELECT payload FROM outbox");
          ResultSet row = statement.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getBytes(1)).isEqualTo(payload);
      }
    }
  }
}
