package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboxWriterBuilderTest {

  @Test
  void defaultsToTheOutboxTable() {
    assertThat(OutboxWriter.builder().build().table()).isEqualTo("outbox");
  }

  @ParameterizedTest
  @ValueSource(strings = {"outbox", "events_outbox", "messaging.outbox", "_x1", "Outbox"})
  void acceptsPlainAndSchemaQualifiedTableNames(String table) {
    assertThat(OutboxWriter.builder().table(table).build().table()).isEqualTo(table);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "outbox; DROP TABLE orders",
        "\"outbox\"",
        "1outbox",
        "a.b.c",
        "messaging.",
        "out box",
        "outbox--"
      })
  void refusesTableNamesThatAreNotPlainIdentifiers(String table) {
    assertThatThrownBy(() -> OutboxWriter.builder().table(table).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("table '" + table + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"order", "public.user", "select"})
  void refusesReservedKeyWords(String table) {
    assertThatThrownBy(() -> OutboxWriter.builder().table(table).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved SQL key word");
  }

  @Test
  void refusesBlankTableAndOverlongNames() {
    assertThatThrownBy(() -> OutboxWriter.builder().table(" ").build())
        .hasMessage("table must not be null or blank");
    assertThatThrownBy(() -> OutboxWriter.builder().table("t".repeat(49)).build())
        .hasMessageContaining("longer than 48 characters");
  }

  @Test
  void refusesNonPositiveLimits() {
    assertThatThrownBy(() -> OutboxWriter.builder().maxPayloadBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPayloadBytes must be positive, but is 0");
    assertThatThrownBy(() -> OutboxWriter.builder().maxHeaderValueBytes(-1).build())
        .hasMessage("maxHeaderValueBytes must be positive, but is -1");
    assertThatThrownBy(() -> OutboxWriter.builder().maxHeaders(-1).build())
        .hasMessage("maxHeaders must be 0 or more, but is -1");
  }

  @Test
  void refusesANullRouter() {
    assertThatThrownBy(() -> OutboxWriter.builder().topicRouter(null).build())
        .hasMessage("topicRouter must not be null");
  }
}
