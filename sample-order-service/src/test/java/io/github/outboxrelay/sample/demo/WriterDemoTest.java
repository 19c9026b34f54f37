package io.github.outboxrelay.sample.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outboxrelay.testing.locale.HostLocale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WriterDemoTest {

  @RegisterExtension final HostLocale host = new HostLocale();

  @Test
  void thePayloadIsJsonOnAnArabicHost() throws Exception {
    host.set("ar-EG");
    UUID id = UUID.randomUUID();

    String json = WriterDemo.orderPlacedJson(id, "c-1", "widget", 12);

    assertThat(new ObjectMapper().readTree(json).get("quantity").asInt()).isEqualTo(12);
  }
}
