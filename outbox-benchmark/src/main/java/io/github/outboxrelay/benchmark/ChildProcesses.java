package io.github.outboxrelay.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the relay's and Debezium's processes share: their memory high-water mark, their logs. */
final class ChildProcesses {

  private ChildProcesses() {}

  /** The most resident memory the process has had (VmHWM), in bytes; -1 if unknown. */
  static long peakResidentBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** Fails, quoting the log's last lines, if the process has exited. */
  static void requireAlive(Process process, String name, Path log) throws IOException {
    if (!process.isAlive()) {
      List<String> lines = Files.readAllLines(log);
      throw new IllegalStateException(
          name
              + " exited; last lines of "
              + log
              + ":\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
    }
  }

  /** The java binary this benchmark runs on, for its child JVMs. */
  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
