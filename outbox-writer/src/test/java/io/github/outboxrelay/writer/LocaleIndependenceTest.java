package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.outboxrelay.testing.locale.HostLocale;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer's rules do not depend on the host's locale. In Turkish, "ID".toLowerCase() is "ıd"
 * (dotless i), so a case-insensitive check written without Locale.ROOT lets "ID" or "DISTINCT"
 * through; in Arabic, "%d" writes Arabic-Indic digits.
 */
class LocaleIndependenceTest {

  @RegisterExtension final HostLocale host = new HostLocale();

  @ParameterizedTest
  @ValueSource(strings = {"ID", "Id", "TYPE", "AGGREGATETYPE"})
  void envelopeHeaderNamesInCapitalsAreReservedOnATurkishHost(String name) {
    host.set("tr-TR");

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
    host.set("tr-TR");

    assertThatThrownBy(() -> OutboxWriter.builder().table(table).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved SQL key word");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ar-EG", "fa-IR", "th-TH-u-nu-thai"})
  void toStringWritesAsciiDigitsOnAnyHost(String tag) {
    host.set(tag);

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
