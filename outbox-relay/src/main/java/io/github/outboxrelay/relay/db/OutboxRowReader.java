package io.github.outboxrelay.relay.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.relay.core.OutboxRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Reads a claimed row: the columns a claim selects, and the row they make. */
final class OutboxRowReader {

  /** What a claim selects, in the order {@link #read} reads it. */
  static final String COLUMNS =
      "seq, id, aggregatetype, aggregateid, type, topic, payload, headers::text, attempts";

  private final ObjectMapper json;

  OutboxRowReader(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The row at the result set's cursor. Headers that are not a JSON object of strings make a row
   * with a defect (parked by the relay), not an error that would stop every claim.
   */
  OutboxRow read(ResultSet rs) throws SQLException {
    Map<String, String> headers = Map.of();
    String defect = null;
    String headersText = rs.getString(8);
    if (headersText != null) {
      try {
        headers = headers(json.readTree(headersText));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        defect = "headers must be a JSON object of strings: " + e.getMessage();
      }
    }
    return new OutboxRow(
        rs.getLong(1),
        rs.getObject(2, UUID.class),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getBytes(7),
        headers,
        rs.getInt(9),
        defect);
  }

  /**
   * The headers as stored, in their order, refusing anything but string values: Jackson would turn
   * a number into text and a null into the string "null", which is not what the writer stored.
   */
  private static Map<String, String> headers(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("found " + typeOf(node));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "header '" + field.getKey() + "' is " + typeOf(field.getValue()) + ", not a string");
      }
      headers.put(field.getKey(), field.getValue().textValue());
    }
    return headers;
  }

  private static String typeOf(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
