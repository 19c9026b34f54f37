package io.github.outboxrelay.writer;

import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes outbox events inside the caller's JDBC transaction, so that they commit or roll back with
 * the business rows they describe.
 *
 * <pre>{@code
 * OutboxWriter outbox = OutboxWriter.builder().build();   // once, then share: it is thread-safe
 *
 * connection.setAutoCommit(false);
 * insertOrder(connection, order);
 * outbox.write(connection, OutboxEvent.builder()
 *     .aggregateType("order").aggregateId(order.id()).eventType("OrderPlaced")
 *     .jsonPayload(json).build());
 * connection.commit();
 * }</pre>
 *
 * <p>The writer never rolls back, closes the connection or changes its autocommit mode, and commits
 * only when asked to ({@link #writeAndCommit}): the transaction is yours. It refuses a connection
 * in autocommit mode, where the event would commit alone. Every event is checked before any SQL
 * runs, so a bad event writes nothing. A second write of an event id that is already in the table
 * is a no-op (idempotent re-writes). Database failures surface as the driver's {@link
 * SQLException}, untouched: roll back, as with any failed statement in your transaction.
 *
 * <p>A null argument (connection, event, the events collection or one of its elements) is refused
 * with an {@link IllegalArgumentException} that names it, as every other misuse is; nothing in the
 * writer's API throws {@link NullPointerException} for it.
 */
public final class OutboxWriter {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxWriter.class);

  private final String table;
  private final TopicRouter topicRouter;
  private final EventLimits limits;
  private final String insertSql;
  private final String insertAndCommitSql;

  private OutboxWriter(Builder builder) {
    this.table = builder.table;
    this.topicRouter = builder.topicRouter;
    this.limits =
        new EventLimits(builder.maxPayloadBytes, builder.maxHeaders, builder.maxHeaderValueBytes);
    this.insertSql = OutboxInsert.sql(table);
    this.insertAndCommitSql = insertSql + "; COMMIT";
  }

  /** A builder with the defaults each setter documents. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Inserts one event in the connection's current transaction.
   *
   * @throws IllegalStateException if the connection is in autocommit mode
   * @throws IllegalArgumentException if the connection or the event is null, the event breaks one
   *     of this writer's limits, or its routed topic is not a legal Kafka topic name
   * @throws SQLException if the database fails; the caller should roll back
   */
  public void write(Connection connection, OutboxEvent event) throws SQLException {
    insertOne(connection, event, insertSql);
    LOG.debug("Wrote {} to {}", event, table);
  }

  /**
   * Inserts one event as the last statement of the connection's current transaction and commits
   * that transaction, both in one round trip to PostgreSQL: {@link #write} followed by {@code
   * connection.commit()} costs a round trip more. Use it where the event is the transaction's last
   * write, as the sample order service does; measured on the order transaction, it halves the
   * outbox's cost (see the README's benchmark).
   *
   * <p>On failure nothing is committed, as with any failed statement or commit: the insert and the
   * {@code COMMIT} travel in one message and PostgreSQL skips the {@code COMMIT} when the insert
   * fails. A failure of the commit itself (a serialization failure, a deferred constraint) surfaces
   * here as the driver's {@link SQLException}. Roll back, as usual; it is harmless.
   *
   * @throws IllegalStateException if the connection is in autocommit mode
   * @throws IllegalArgumentException if the connection or the event is null, the event breaks one
   *     of this writer's limits, or its routed topic is not a legal Kafka topic name; nothing is
   *     written and nothing is committed
   * @throws SQLException if the database fails; the caller should roll back
   */
  public void writeAndCommit(Connection connection, OutboxEvent event) throws SQLException {
    // pgjdbc sends a statement's semicolon-separated parts in one round trip, with one Sync.
    insertOne(connection, event, insertAndCommitSql);
    // PostgreSQL has committed. This brings the driver and any pool wrapping it up to date; pgjdbc
    // sends nothing, as its transaction is already idle.
    connection.commit();
    LOG.debug("Wrote {} to {} and committed", event, table);
  }

  /**
   * Inserts several events in the connection's current transaction, in one batched round trip and
   * in the collection's iteration order (which becomes their claim order). All events are checked
   * before the first is written; nothing is written if one is bad.
   *
   * @throws IllegalStateException if the connection is in autocommit mode
   * @throws IllegalArgumentException if the connection, the collection or one of its events is
   *     null, an event breaks a rule, or two share an id
   * @throws SQLException if the database fails; the caller should roll back
   */
  public void writeAll(Connection connection, Collection<OutboxEvent> events) throws SQLException {
    requireTransaction(connection);
    EventRules.requireNonNull(events, "events");
    List<String> topics = admitAll(events);
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(insertSql)) {
      int index = 0;
      for (OutboxEvent event : events) {
        OutboxInsert.bind(statement, connection, event, topics.get(index++));
        statement.addBatch();
      }
      statement.executeBatch();
    }
    LOG.debug("Wrote {} events to {}", events.size(), table);
  }

  private void insertOne(Connection connection, OutboxEvent event, String sql) throws SQLException {
    requireTransaction(connection);
    EventRules.requireNonNull(event, "event");
    String topic = admit(event, "event");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      OutboxInsert.bind(statement, connection, event, topic);
      statement.execute();
    }
  }

  /** The table this writer inserts into. */
  public String table() {
    return table;
  }

  private static void requireTransaction(Connection connection) throws SQLException {
    EventRules.requireNonNull(connection, "connection");
    if (connection.getAutoCommit()) {
      throw new IllegalStateException(
          "The connection is in autocommit mode, so the outbox event would commit on its own,"
              + " outside the business transaction it belongs to. Call"
              + " connection.setAutoCommit(false), write the business rows and the event, then"
              + " commit.");
    }
  }

  private List<String> admitAll(Collection<OutboxEvent> events) {
    List<String> topics = new ArrayList<>(events.size());
    Map<UUID, Integer> firstIndexById = new HashMap<>();
    int index = 0;
    for (OutboxEvent event : events) {
      String label = "events[" + index + "]";
      if (event == null) {
        throw new IllegalArgumentException(label + " must not be null");
      }
      Integer earlier = firstIndexById.putIfAbsent(event.id(), index);
      if (earlier != null) {
        throw new IllegalArgumentException(
            label + " has the same id as events[" + earlier + "]: " + event.id());
      }
      topics.add(admit(event, label));
      index++;
    }
    return topics;
  }

  /** Checks the configurable limits and returns the event's destination topic. */
  private String admit(OutboxEvent event, String label) {
    limits.check(event, label);
    if (event.topic() != null) {
      return event.topic();
    }
    String routed = topicRouter.topicFor(event.aggregateType());
    try {
      TopicNames.requireValid(routed, label + " topic routed from aggregateType");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + " (aggregateType '" + event.aggregateType() + "'); set the topic", e);
    }
    return routed;
  }

  /**
   * Configures an {@link OutboxWriter}; {@link #build()} checks every property, and refuses a null
   * {@code table} or {@code topicRouter} with an {@link IllegalArgumentException} naming it.
   */
  public static final class Builder {
    private String table = OutboxSchema.DEFAULT_TABLE;
    private TopicRouter topicRouter = TopicRouter.DEBEZIUM_DEFAULT;
    private int maxPayloadBytes = EventLimits.DEFAULT_MAX_PAYLOAD_BYTES;
    private int maxHeaders = EventLimits.DEFAULT_MAX_HEADERS;
    private int maxHeaderValueBytes = EventLimits.DEFAULT_MAX_HEADER_VALUE_BYTES;

    private Builder() {}

    /**
     * The outbox table, {@code table} or {@code schema.table}, as a plain SQL identifier (it is
     * spliced into SQL, so anything else is refused). Default: {@code outbox}, resolved through the
     * connection's {@code search_path}.
     */
    public Builder table(String table) {
      this.table = table;
      return this;
    }

    /**
     * Derives the topic of events that name none. Default: {@link TopicRouter#DEBEZIUM_DEFAULT},
     * {@code outbox.event.<aggregateType>}.
     */
    public Builder topicRouter(TopicRouter topicRouter) {
      this.topicRouter = topicRouter;
      return this;
    }

    /**
     * Largest payload accepted, in bytes. Default: 1 MiB (1048576), Kafka's default {@code
     * max.request.size}; raise both together.
     */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /** Most extra headers one event may carry. Default: 32. */
    public Builder maxHeaders(int maxHeaders) {
      this.maxHeaders = maxHeaders;
      return this;
    }

    /** Largest header value accepted, in UTF-8 bytes. Default: 8192. */
    public Builder maxHeaderValueBytes(int maxHeaderValueBytes) {
      this.maxHeaderValueBytes = maxHeaderValueBytes;
      return this;
    }

    /**
     * The writer.
     *
     * @throws IllegalArgumentException naming the first invalid (or null) property
     */
    public OutboxWriter build() {
      SqlIdentifiers.requireQualifiedTable(table, "table");
      if (topicRouter == null) {
        throw new IllegalArgumentException("topicRouter must not be null");
      }
      requirePositive(maxPayloadBytes, "maxPayloadBytes");
      if (maxHeaders < 0) {
        throw new IllegalArgumentException("maxHeaders must be 0 or more, but is " + maxHeaders);
      }
      requirePositive(maxHeaderValueBytes, "maxHeaderValueBytes");
      return new OutboxWriter(this);
    }

    private static void requirePositive(int value, String property) {
      if (value <= 0) {
        throw new IllegalArgumentException(property + " must be positive, but is " + value);
      }
    }
  }
}
