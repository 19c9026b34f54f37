package io.github.outboxrelay.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverTimesTest {

  private final long[] timestamps =
      FailoverTimes.timestamps(
          new Events()
              .commit("a", "k", "t")
              .commit("b", "k", "t")
              .commit("c", "k", "t")
              .deliver("c", 5_300)
              .deliver("a", 1_000)
              .deliver("b", 1_700)
              .records());

  @Test
  void measuresFromTheKillToTheFirstLaterRecord() {
    assertThat(FailoverTimes.measure(1_000, List.of(), timestamps))
        .contains(new FailoverTimes.Failover(1_000, 700, false));
    assertThat(FailoverTimes.measure(2_000, List.of(), timestamps))
        .contains(new FailoverTimes.Failover(2_000, 3_300, false));
    assertThat(FailoverTimes.measure(9_000, List.of(), timestamps)).isEmpty();
  }

  @Test
  void anotherFaultBeforeTheFirstRecordConfoundsTheMeasurement() {
    List<long[]> brokerOutage = List.of(new long[] {2_500, 5_000});

    assertThat(FailoverTimes.measure(2_000, brokerOutage, timestamps))
        .hasValueSatisfying(failover -> assertThat(failover.confounded()).isTrue());
    assertThat(FailoverTimes.measure(1_000, brokerOutage, timestamps))
        .hasValueSatisfying(failover -> assertThat(failover.confounded()).isFalse());
  }

  @Test
  void summarisesMinMedianMaxOfTheCleanOnes() {
    List<FailoverTimes.Failover> failovers =
        List.of(
            new FailoverTimes.Failover(0, 900, false),
            new FailoverTimes.Failover(0, 300, false),
            new FailoverTimes.Failover(0, 99_000, true),
            new FailoverTimes.Failover(0, 500, false));

    assertThat(FailoverTimes.stats(FailoverTimes.clean(failovers)))
        .isEqualTo(new FailoverTimes.Stats(3, 300, 500, 900));
    assertThat(FailoverTimes.stats(List.of())).isNull();
  }
}
