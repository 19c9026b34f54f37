package io.github.outboxrelay.faults;

import io.github.outboxrelay.testing.net.TcpProxy;
import io.github.outboxrelay.testing.process.ServiceProcess;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One relay process and the TCP proxy between it and PostgreSQL. It remembers when each of its
 * process incarnations ended, so the metrics check knows which last scrapes may miss marks.
 */
final class RelayNode implements AutoCloseable {

  private final String name;
  private final TcpProxy proxy;
  private final ServiceProcess process;
  private final Map<String, Long> startedIncarnations = new ConcurrentHashMap<>();
  private final Map<String, Long> endedIncarnations = new ConcurrentHashMap<>();

  RelayNode(String name, TcpProxy proxy, ServiceProcess process) {
    this.name = name;
    this.proxy = proxy;
    this.process = process;
    startedIncarnations.put(incarnation(), System.currentTimeMillis());
  }

  String name() {
    return name;
  }

  /** The application name its connections carry; the lease holder is found by it. */
  static String applicationName(String name) {
    return "faults-" + name;
  }

  TcpProxy proxy() {
    return proxy;
  }

  ServiceProcess process() {
    return process;
  }

  int adminPort() {
    return process.adminPort();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String incarnation() {
    return name + "#" + process.pid();
  }

  /** SIGKILL; returns once the process is gone. */
  void kill() throws InterruptedException {
    String incarnation = incarnation();
    process.kill();
    endedIncarnations.put(incarnation, System.currentTimeMillis());
  }

  /** SIGTERM; returns once the process has stopped (SIGKILL after 40 s). */
  boolean terminate() throws InterruptedException {
    String incarnation = incarnation();
    boolean stopped = process.terminate();
    endedIncarnations.put(incarnation, System.currentTimeMillis());
    return stopped;
  }

  void restart() throws IOException {
    long at = System.currentTimeMillis();
    process.restart();
    startedIncarnations.put(incarnation(), at);
  }

  /** Every incarnation, with when it was started. */
  Map<String, Long> startedIncarnations() {
    return Map.copyOf(startedIncarnations);
  }

  /** Incarnations that are gone, with when they went. */
  Map<String, Long> endedIncarnations() {
    return Map.copyOf(endedIncarnations);
  }

  @Override
  public void close() throws InterruptedException {
    String incarnation = incarnation();
    process.close(); // from now on the injector cannot restart it
    endedIncarnations.putIfAbsent(incarnation, System.currentTimeMillis());
    proxy.close();
  }
}
