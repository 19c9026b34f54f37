package io.github.outboxrelay.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuplicateAccountingTest {

  private static final List<FaultMoment> FAULTS =
      List.of(
          new FaultMoment("kill-broker", "kill-broker #2", 2_000, 2_100),
          new FaultMoment("kill-active-relay", "kill-active-relay #1", 1_000, 1_100));

  @Test
  void eachEventOnceHasNoDuplicates() {
    Events events = new Events().commit("a", "k", "t").commit("b", "k", "t").deliver("a", "b");

    assertThat(DuplicateAccounting.of(events.records(), FAULTS).total()).isZero();
  }

  @Test
  void aSecondCopyIsADuplicateBlamedOnTheLatestFaultBeforeIt() {
    Events events = new Events().commit("a", "k", "t").commit("b", "k", "t");
    events.deliver("a", 900).deliver("b", 950).deliver("a", 1_500).deliver("b", 2_500);

    DuplicateAccounting duplicates = DuplicateAccounting.of(events.records(), FAULTS);

    assertThat(duplicates.total()).isEqualTo(2);
    assertThat(duplicates.byFault())
        .containsEntry("kill-active-relay #1", 1L)
        .containsEntry("kill-broker #2", 1L);
    assertThat(duplicates.byKind()).containsEntry("kill-active-relay", 1L);
  }

  @Test
  void aDuplicateWhileAFaultIsUnderWayIsBlamedOnItRatherThanOnALaterShortOne() {
    List<FaultMoment> faults =
        List.of(
            new FaultMoment("poison-event", "poison-event #1", 500, 5_000),
            new FaultMoment("kill-broker", "kill-broker #2", 2_000, 2_100));
    Events events = new Events().commit("a", "k", "t").deliver("a", 400).deliver("a", 3_000);

    DuplicateAccounting duplicates = DuplicateAccounting.of(events.records(), faults);

    assertThat(duplicates.byFault()).containsExactlyEntriesOf(Map.of("poison-event #1", 1L));
  }

  @Test
  void aDuplicateBeforeAnyFaultIsBlamedOnNone() {
    Events events = new Events().commit("a", "k", "t").deliver("a", 100).deliver("a", 200);

    DuplicateAccounting duplicates = DuplicateAccounting.of(events.records(), FAULTS);

    assertThat(duplicates.byKind()).containsExactlyEntriesOf(Map.of("none", 1L));
  }
}
