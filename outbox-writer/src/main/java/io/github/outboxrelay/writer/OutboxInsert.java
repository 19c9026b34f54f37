package io.github.outboxrelay.writer;

import io.github.outboxrelay.writer.internal.TraceContext;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;

/** The writer's one SQL statement and how an event binds to it. */
final class OutboxInsert {

  private OutboxInsert() {}

  /**
   * {@code ON CONFLICT (id) DO NOTHING} makes a re-write of a known event id a no-op instead of an
   * error that would abort the caller's transaction. Headers travel as one {@code text[]} of
   * alternating names and values that {@code jsonb_object} turns into an object, so no JSON is
   * assembled by hand.
   */
  static String sql(String table) {
    return "INSERT INTO "
        + table
        + " (id, aggregatetype, aggregateid, type, topic, payload, headers)"
        + " VALUES (?, ?, ?, ?, ?, ?, jsonb_object(?::text[])) ON CONFLICT (id) DO NOTHING";
  }

  static void bind(
      PreparedStatement statement, Connection connection, OutboxEvent event, String topic)
      throws SQLException {
    statement.setObject(1, event.id());
    statement.setString(2, event.aggregateType());
    statement.setString(3, event.aggregateId());
    statement.setString(4, event.eventType());
    statement.setString(5, topic);
    statement.setBytes(6, event.payloadUnsafe());
    Map<String, String> headers = TraceContext.withCurrent(event.headers());
    if (headers.isEmpty()) {
      statement.setNull(7, Types.ARRAY);
    } else {
      statement.setArray(7, headerArray(connection, headers));
    }
  }

  private static Array headerArray(Connection connection, Map<String, String> headers)
      throws SQLException {
    String[] pairs = new String[headers.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      pairs[i++] = header.getKey();
      pairs[i++] = header.getValue();
    }
    return connection.createArrayOf("text", pairs);
  }
}
