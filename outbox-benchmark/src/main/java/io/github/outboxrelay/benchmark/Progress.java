package io.github.outboxrelay.benchmark;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines, so a long run shows it is alive. */
final class Progress {

  private Progress() {}

  static void say(String format, Object... arguments) {
    System.out.printf(
        "[bench %s] %s%n",
        LocalTime.now().truncatedTo(ChronoUnit.SECONDS), format.formatted(arguments));
  }
}
