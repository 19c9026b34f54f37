package io.github.outboxrelay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultScheduleTest {

  @Test
  void theSameSeedReplaysTheSameSchedule() {
    assertThat(FaultSchedule.plan(Profile.SHORT, 42))
        .isEqualTo(FaultSchedule.plan(Profile.SHORT, 42));
    assertThat(FaultSchedule.plan(Profile.SHORT, 42))
        .isNotEqualTo(FaultSchedule.plan(Profile.SHORT, 43));
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyFaultOfTheProfileIsScheduledWithinTheLoad(Profile profile) {
    FaultSchedule schedule = FaultSchedule.plan(profile, 7);

    for (FaultKind kind : FaultKind.values()) {
      assertThat(schedule.count(kind)).as(kind.label).isEqualTo((long) profile.faults.get(kind));
    }
    assertThat(schedule.faults())
        .allSatisfy(
            fault ->
                assertThat(fault.atMillis())
                    .isBetween(profile.warmUp.toMillis(), profile.load.toMillis()));
  }

  @Test
  void theLongProfileKillsTheActiveRelayTenTimesAndTheBrokerThree() {
    FaultSchedule schedule = FaultSchedule.plan(Profile.LONG, 1);

    assertThat(
            schedule.count(FaultKind.KILL_ACTIVE_RELAY)
                + schedule.count(FaultKind.KILL_ACTIVE_RELAY_BROKER_DOWN))
        .isGreaterThanOrEqualTo(10);
    assertThat(schedule.count(FaultKind.KILL_BROKER)).isGreaterThanOrEqualTo(3);
    assertThat(Profile.LONG.load.toMinutes()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void poisonEventsComeInTheFirstHalf() {
    for (long seed = 0; seed < 50; seed++) {
      FaultSchedule schedule = FaultSchedule.plan(Profile.LONG, seed);
      int size = schedule.faults().size();
      for (int i = 0; i < size; i++) {
        if (schedule.faults().get(i).kind() == FaultKind.POISON_EVENT) {
          assertThat(i).isLessThanOrEqualTo(size / 2 + 1);
        }
      }
    }
  }
}
