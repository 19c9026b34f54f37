package io.github.outboxrelay.sample.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriterDemoTest {

  private Locale original;

  @BeforeEach
  void remember() {
    original = Locale.getDefault();
  }

  @AfterEach
  void restore() {
    Locale.setDefault(original);
  }

  @Test
  void thePayloadIsJsonOnAnArabicHost() throws Exception {
    Locale.setDefault(Locale.forLanguageTag("ar-EG"));
    UUID id = UUID.randomUUID();

    String json = WriterDemo.orderPlacedJson(id, "c-1", "widget", 12);

    assertThat(new ObjectMapper().readTree(json).get("quantity").asInt()).isEqualTo(12);
  }
}
