package io.github.outboxrelay.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverTimesTest {

  @Test
  void measuresFromTheKillToTheFirstLaterRecord() {
    Events events = new Events().commit("a", "k", "t").commit("b", "k", "t").commit("c", "k", "t");
    events.deliver("a", 1_000).deliver("b", 1_700).deliver("c", 5_300);

    assertThat(FailoverTimes.of(List.of(1_000L, 2_000L, 9_000L), events.records()))
        .containsExactly(700L, 3_300L);
  }

  @Test
  void summarisesMinMedianMax() {
    assertThat(FailoverTimes.stats(List.of(900L, 300L, 500L)))
        .isEqualTo(new FailoverTimes.Stats(3, 300, 500, 900));
    assertThat(FailoverTimes.stats(List.of())).isNull();
  }
}
