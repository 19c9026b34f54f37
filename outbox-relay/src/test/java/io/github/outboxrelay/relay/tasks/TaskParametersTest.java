package io.github.outboxrelay.relay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskParametersTest {

  @Test
  void readsAPositiveLimitOrTheDefault() {
    assertThat(TaskParameters.positiveInt(Map.of(), "limit", 100)).isEqualTo(100);
    assertThat(TaskParameters.positiveInt(Map.of("limit", List.of("7")), "limit", 100))
        .isEqualTo(7);
  }

  @Test
  void namesTheParameterThatIsWrong() {
    assertThatThrownBy(() -> TaskParameters.positiveInt(Map.of("limit", List.of("-1")), "limit", 1))
        .hasMessage("limit must be a positive integer, not '-1'");
    assertThatThrownBy(() -> TaskParameters.uuid(Map.of("id", List.of("nope")), "id"))
        .hasMessage("id must be a UUID, not 'nope'");
    assertThatThrownBy(() -> TaskParameters.single(Map.of("id", List.of("a", "b")), "id"))
        .hasMessage("id may be given once");
  }

  @Test
  void readsIdsAndFlags() {
    UUID id = UUID.randomUUID();
    assertThat(TaskParameters.uuid(Map.of("id", List.of(id.toString())), "id")).contains(id);
    assertThat(TaskParameters.flag(Map.of("all", List.of("true")), "all")).isTrue();
    assertThat(TaskParameters.flag(Map.of(), "all")).isFalse();
  }
}
