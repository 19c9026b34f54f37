package io.github.outboxrelay.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  // A PostgreSQL backend's line, as proc(5) lays it out (fields 14-17: utime stime cutime cstime).
  private static final String BACKEND =
      "4242 (postgres) S 1000 1000 1000 0 -1 4194560 1520 0 0 0 731 265 12 3 20 0 1 0 9817"
          + " 229748736 3120 18446744073709551615 1 1 0 0 0 0 4194304 19935232 84487 0 0 0 17 1"
          + " 0 0 0 0 0";

  @Test
  void readsOwnAndExitedChildrenTicksAndParent() {
    ProcStat stat = ProcStat.parse(BACKEND);

    assertThat(stat.pid()).isEqualTo(4242);
    assertThat(stat.parentPid()).isEqualTo(1000);
    assertThat(stat.userTicks()).isEqualTo(731);
    assertThat(stat.systemTicks()).isEqualTo(265);
    assertThat(stat.ownTicks()).isEqualTo(996);
    assertThat(stat.exitedChildrenTicks()).isEqualTo(15);
  }

  @Test
  void countsFieldsFromTheLastParenthesisOfTheCommandName() {
    ProcStat stat = ProcStat.parse(BACKEND.replace("(postgres)", "(post) gres (x) S 1)"));

    assertThat(stat.parentPid()).isEqualTo(1000);
    assertThat(stat.userTicks()).isEqualTo(731);
    assertThat(stat.childSystemTicks()).isEqualTo(3);
  }

  @Test
  void acceptsTheTrailingNewlineOfTheFile() {
    assertThat(ProcStat.parse(BACKEND + "\n").systemTicks()).isEqualTo(265);
  }

  @Test
  void refusesALineWithoutTheCpuFields() {
    assertThatThrownBy(() -> ProcStat.parse("4242 (postgres) S 1000 1000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> ProcStat.parse("no command name here"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
