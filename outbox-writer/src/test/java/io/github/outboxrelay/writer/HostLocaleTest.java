package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer's rules do not depend on the host's locale. In Turkish, "ID".toLowerCase() is "ıd"
 * (dotless i), so a case-insensitive check written without Locale.ROOT lets "ID" or "DISTINCT"
 * through; in Arabic, "%d" writes Arabic-Indic digits.
 */
class HostLocaleTest {

  private Locale original;

  @BeforeEach
  void remember() {
    original = Locale.getDefault();
  }

  @AfterEach
  void restore() {
    Locale.setDefault(original);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ID", "Id", "TYPE", "AGGREGATETYPE"})
  void envelopeHeaderNamesInCapitalsAreReservedOnATurkishHost(String name) {
    Locale.setDefault(new Locale("tr", "TR"));

    assertThatThrownBy(
            () ->
                OutboxEvent.builder()
                    .aggregateType("order")
                    .aggregateId("1")
                    .eventType("OrderPlaced")
                    .jsonPayload("{}")
                    .header(name, "x")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is reserved");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DISTINCT", "LIMIT", "INTO", "messaging.WHERE"})
  void reservedKeyWordsInCapitalsAreRefusedAsTableNamesOnATurkishHost(String table) {
    Locale.setDefault(new Locale("tr", "TR"));

    assertThatThrownBy(() -> OutboxWriter.builder().table(table).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved SQL key word");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ar-EG", "fa-IR", "th-TH-u-nu-thai"})
  void toStringWritesAsciiDigitsOnAnyHost(String host) {
    Locale.setDefault(Locale.forLanguageTag(host));

    OutboxEvent event =
        OutboxEvent.builder()
            .aggregateType("order")
            .aggregateId("1")
            .eventType("OrderPlaced")
            .jsonPayload("{\"n\":12345}")
            .build();

    assertThat(event.toString()).contains("payload=11 bytes");
  }
}
