package io.github.outboxrelay.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BasicAuthFilterTest {

  private final BasicAuthFilter filter =
      new BasicAuthFilter("ops", "s3cr:et", Set.of("/healthcheck"), new ObjectMapper());

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsExactlyTheUserAndPassword() {
    assertThat(filter.authenticated(basic("ops:s3cr:et"))).as("a ':' in the password").isTrue();
    assertThat(filter.authenticated("basic " + basic("ops:s3cr:et").substring(6))).isTrue();
  }

  @Test
  void refusesEverythingElse() {
    assertThat(filter.authenticated(null)).isFalse();
    assertThat(filter.authenticated(basic("ops:wrong"))).isFalse();
    assertThat(filter.authenticated(basic("admin:s3cr:et"))).isFalse();
    assertThat(filter.authenticated(basic("ops:s3cr:e"))).as("a prefix").isFalse();
    assertThat(filter.authenticated(basic("ops"))).as("no colon").isFalse();
    assertThat(filter.authenticated("Basic not*base64")).isFalse();
    assertThat(filter.authenticated("Bearer " + basic("ops:s3cr:et").substring(6))).isFalse();
  }
}
