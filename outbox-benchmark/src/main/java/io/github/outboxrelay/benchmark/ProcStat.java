package io.github.outboxrelay.benchmark;

/**
 * The CPU fields of one {@code /proc/<pid>/stat} line, in clock ticks: the process's own user and
 * system time, and that of its children that have exited and been waited for (where the CPU of a
 * PostgreSQL backend lands once it has disconnected: in the postmaster's).
 */
record ProcStat(
    long pid,
    long parentPid,
    long userTicks,
    long systemTicks,
    long childUserTicks,
    long childSystemTicks) {

  /**
   * Parses a stat line. The command name (field 2) is in parentheses and may itself hold spaces and
   * parentheses, so the fields are counted from the last ')'.
   *
   * @throws IllegalArgumentException if the line does not have the fields of proc(5)
   */
  static ProcStat parse(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 1 || close < open) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
    }
    String[] fields = line.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state) of proc(5); utime is field 14, so fields[11].
    if (fields.length < 15) {
      throw new IllegalArgumentException("a /proc/<pid>/stat line too short: " + line);
    }
    return new ProcStat(
        Long.parseLong(line.substring(0, open).trim()),
        Long.parseLong(fields[1]),
        Long.parseLong(fields[11]),
        Long.parseLong(fields[12]),
        Long.parseLong(fields[13]),
        Long.parseLong(fields[14]));
  }

  long ownTicks() {
    return userTicks + systemTicks;
  }

  long exitedChildrenTicks() {
    return childUserTicks + childSystemTicks;
  }
}
