package io.github.outboxrelay.faults;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The suite's progress lines, each with the UTC time to the millisecond. */
final class Say {

  private Say() {}

  static void say(String format, Object... arguments) {
    System.out.printf(
        Locale.ROOT,
        "[faults %s] %s%n",
        LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS),
        String.format(Locale.ROOT, format, arguments));
  }
}
