package io.github.outboxrelay.writer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The writer's configurable limits on one event; each failure names the event and the limit. */
final class EventLimits {

  static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
  static final int DEFAULT_MAX_HEADERS = 32;
  static final int DEFAULT_MAX_HEADER_VALUE_BYTES = 8192;

  private final int maxPayloadBytes;
  private final int maxHeaders;
  private final int maxHeaderValueBytes;

  EventLimits(int maxPayloadBytes, int maxHeaders, int maxHeaderValueBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxHeaders = maxHeaders;
    this.maxHeaderValueBytes = maxHeaderValueBytes;
  }

  void check(OutboxEvent event, String label) {
    if (event.payloadSize() > maxPayloadBytes) {
      throw new IllegalArgumentException(
          label
              + " payload is "
              + event.payloadSize()
              + " bytes, more than maxPayloadBytes ("
              + maxPayloadBytes
              + ")");
    }
    Map<String, String> headers = event.headers();
    if (headers.size() > maxHeaders) {
      throw new IllegalArgumentException(
          label + " has " + headers.size() + " headers, more than maxHeaders (" + maxHeaders + ")");
    }
    headers.forEach(
        (name, value) -> {
          // A UTF-8 character is at most 3 bytes per UTF-16 char: skip the encoding when it fits.
          if (value.length() * 3L > maxHeaderValueBytes) {
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxHeaderValueBytes) {
              throw new IllegalArgumentException(
                  label
                      + " header '"
                      + name
                      + "' value is "
                      + bytes
                      + " bytes, more than maxHeaderValueBytes ("
                      + maxHeaderValueBytes
                      + ")");
            }
          }
        });
  }
}
