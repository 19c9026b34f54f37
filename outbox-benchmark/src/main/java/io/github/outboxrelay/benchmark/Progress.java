package io.github.outboxrelay.benchmark;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Progress lines, so a long run shows it is alive. */
final class Progress {

  private Progress() {}

  static void say(String format, Object... arguments) {
    System.out.printf(
        Locale.ROOT,
        "[bench %s] %s%n",
        LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
        String.format(Locale.ROOT, format, arguments));
  }
}
