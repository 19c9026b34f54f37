package io.github.outboxrelay.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * What a run costs the primary: WAL bytes written ({@code pg_current_wal_lsn()} before and after)
 * and CPU seconds of all PostgreSQL processes, read from {@code /proc}; and, beside it, the CPU the
 * whole host spent ({@code /proc/stat}), which on this benchmark's one host is PostgreSQL, Kafka,
 * the contender and the benchmark together: every live child of the postmaster, plus the
 * postmaster's own time and that of its exited children (backends that disconnected during the
 * run). Backends named as excluded (the benchmark's own connections that stay open through the run)
 * are left out. CPU is unknown when the server's processes are not visible here (another host or a
 * container); the figures are then NaN.
 */
final class PostgresCost implements AutoCloseable {

  /**
   * One reading: PostgreSQL's CPU ticks (negative when unknown), the host's busy ticks and the WAL
   * position.
   */
  record Sample(long cpuTicks, long hostTicks, String walLsn) {}

  /**
   * The difference between two readings, per event; the WAL positions let {@code pg_waldump} say
   * what the bytes were.
   */
  record Result(
      long events,
      long walBytes,
      double cpuSeconds,
      double hostCpuSeconds,
      String walFrom,
      String walTo) {

    double walBytesPerEvent() {
      return events == 0 ? Double.NaN : (double) walBytes / events;
    }

    double cpuSecondsPerMillionEvents() {
      return events == 0 ? Double.NaN : cpuSeconds * 1_000_000 / events;
    }

    double hostCpuSecondsPerMillionEvents() {
      return events == 0 ? Double.NaN : hostCpuSeconds * 1_000_000 / events;
    }
  }

  private static final Path PROC = Path.of("/proc");

  private final Connection connection;
  private final long ownBackend;
  private final long postmaster;
  private final double ticksPerSecond;

  private PostgresCost(
      Connection connection, long ownBackend, long postmaster, double ticksPerSecond) {
    this.connection = connection;
    this.ownBackend = ownBackend;
    this.postmaster = postmaster;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** Opens the connection it reads the WAL position with, and finds the postmaster. */
  static PostgresCost open(OutboxData data) throws SQLException {
    Connection connection = data.connect();
    long backend = backendPid(connection);
    long postmaster = -1;
    try {
      postmaster = read(backend).parentPid();
    } catch (IOException notVisible) {
      Progress.say("  (PostgreSQL's processes are not visible here: no CPU figures)");
    }
    return new PostgresCost(connection, backend, postmaster, clockTicksPerSecond());
  }

  static long backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * CPU ticks now, leaving out the given backends (and this reader's own), and the WAL position.
   */
  Sample sample(Set<Long> excludedBackends) throws SQLException {
    return new Sample(cpuTicks(excludedBackends), HostCpu.ticks(), walLsn());
  }

  /**
   * A reading taken right after a fill committed, with PostgreSQL's CPU read before the fill (the
   * filling backend is left out of it anyway): the host's CPU and the WAL then leave the fill out.
   */
  Sample afterFill(long cpuTicksBeforeFill) throws SQLException {
    return new Sample(cpuTicksBeforeFill, HostCpu.ticks(), walLsn());
  }

  /** CPU ticks only, for a run whose WAL is read later (after a fill it must not count). */
  long cpuTicks(Set<Long> excludedBackends) {
    if (postmaster < 0) {
      return -1;
    }
    long ticks = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path process : processes) {
        long pid = Long.parseLong(process.getFileName().toString());
        if (pid == ownBackend || excludedBackends.contains(pid)) {
          continue;
        }
        ProcStat stat;
        try {
          stat = read(pid);
        } catch (IOException exited) {
          continue; // gone since the listing: its CPU is in its parent's exited-children total
        }
        if (pid == postmaster) {
          ticks += stat.ownTicks() + stat.exitedChildrenTicks();
        } else if (stat.parentPid() == postmaster) {
          ticks += stat.ownTicks();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ticks;
  }

  String walLsn() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  Result between(Sample before, Sample after, long events) throws SQLException {
    long walBytes;
    try (PreparedStatement diff =
        connection.prepareStatement("SELECT pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)::bigint")) {
      diff.setString(1, after.walLsn());
      diff.setString(2, before.walLsn());
      try (ResultSet rs = diff.executeQuery()) {
        rs.next();
        walBytes = rs.getLong(1);
      }
    }
    double cpu =
        before.cpuTicks() < 0 || after.cpuTicks() < 0
            ? Double.NaN
            : (after.cpuTicks() - before.cpuTicks()) / ticksPerSecond;
    double host = HostCpu.secondsBetween(before.hostTicks(), after.hostTicks(), ticksPerSecond);
    return new Result(events, walBytes, cpu, host, before.walLsn(), after.walLsn());
  }

  private static ProcStat read(long pid) throws IOException {
    return ProcStat.parse(
        Files.readString(
            PROC.resolve(String.valueOf(pid)).resolve("stat"), StandardCharsets.UTF_8));
  }

  /** {@code getconf CLK_TCK}: the unit of /proc's CPU times (100 on Linux nearly everywhere). */
  static double clockTicksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (getconf.waitFor() == 0) {
        return Double.parseDouble(out.trim());
      }
    } catch (IOException | NumberFormatException e) {
      // the usual value below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
