package io.github.outboxrelay.writer;

/** Kafka's rules for topic names, checked here so a bad name never reaches the outbox. */
final class TopicNames {

  /** Kafka's limit ({@code org.apache.kafka.common.internals.Topic#MAX_NAME_LENGTH}). */
  static final int MAX_LENGTH = 249;

  private TopicNames() {}

  static void requireValid(String topic, String field) {
    if (topic == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    if (topic.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    if (topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(field + " must not be '.' or '..' (Kafka rejects them)");
    }
    if (topic.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          field
              + " '"
              + topic.substring(0, 40)
              + "...' is "
              + topic.length()
              + " characters long; Kafka allows at most "
              + MAX_LENGTH);
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (!isLegal(c)) {
        throw new IllegalArgumentException(
            field
                + " '"
                + topic
                + "' contains the illegal character '"
                + c
                + "' at index "
                + i
                + "; Kafka allows only ASCII letters, digits, '.', '_' and '-'");
      }
    }
  }

  private static boolean isLegal(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }
}
