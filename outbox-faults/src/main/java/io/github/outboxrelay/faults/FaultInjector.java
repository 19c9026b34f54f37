package io.github.outboxrelay.faults;

import static io.github.outboxrelay.faults.Say.say;

import io.github.outboxrelay.testing.net.TcpProxy;
import io.github.outboxrelay.testing.process.ServiceProcess;
import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Injects the scheduled faults, one after the other, each at its moment (or as soon as the one
 * before it has ended, if that ran late), and logs each with its time as it happens. Everything a
 * fault stops it starts again before the next fault begins.
 */
final class FaultInjector {

  private static final Duration FIND_ACTIVE_RELAY = Duration.ofSeconds(10);
  private static final Duration SHOP_RESTART_TIMEOUT = Duration.ofSeconds(90);
  static final String POISON_AGGREGATE = "missing"; // topic outbox.event.missing: absent

  private final FaultEnvironment environment;
  private final Database database;
  private final FaultSettings settings;
  private final List<InjectedFault> injected = new ArrayList<>();

  FaultInjector(FaultEnvironment environment, Database database, FaultSettings settings) {
    this.environment = environment;
    this.database = database;
    this.settings = settings;
  }

  /**
   * Runs the schedule from {@code loadStartNanos}; faults that cannot start before {@code
   * deadlineNanos} are skipped and reported.
   */
  List<InjectedFault> run(FaultSchedule schedule, long loadStartNanos, long deadlineNanos)
      throws InterruptedException {
    for (PlannedFault fault : schedule.faults()) {
      long due = loadStartNanos + TimeUnit.MILLISECONDS.toNanos(fault.atMillis());
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (System.nanoTime() > deadlineNanos) {
        note(InjectedFault.skipped(fault, "no time left in this profile"));
        continue;
      }
      try {
        note(inject(fault));
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        say("%s failed: %s", fault.label(), e);
        note(InjectedFault.skipped(fault, "failed: " + e));
      }
    }
    return List.copyOf(injected);
  }

  private void note(InjectedFault fault) {
    injected.add(fault);
    if (!fault.injected()) {
      say("%s skipped: %s", fault.plan().label(), fault.detail());
    }
  }

  private InjectedFault inject(PlannedFault fault) throws Exception {
    return switch (fault.kind()) {
      case KILL_ACTIVE_RELAY -> killActiveRelay(fault);
      case KILL_ACTIVE_RELAY_BROKER_DOWN -> killActiveRelayWhileBrokerDown(fault);
      case TERM_ACTIVE_RELAY -> terminateActiveRelay(fault);
      case KILL_BROKER -> killBroker(fault);
      case RESTART_POSTGRES -> restartPostgres(fault);
      case POISON_EVENT -> poison(fault);
      case STALL_RELAY_DATABASE -> stall(fault);
      case KILL_ORDER_SERVICE -> killOrderService(fault);
      case CUT_ORDER_SERVICE_DATABASE -> cutOrderServiceDatabase(fault);
    };
  }

  private InjectedFault killActiveRelay(PlannedFault fault) throws Exception {
    Optional<RelayNode> active = environment.awaitLeaseHolder(FIND_ACTIVE_RELAY);
    if (active.isEmpty()) {
      return InjectedFault.skipped(fault, "no relay held the lease");
    }
    RelayNode relay = active.get();
    String incarnation = relay.incarnation();
    long at = System.currentTimeMillis();
    say("%s: SIGKILL %s (holds the lease)", fault.label(), incarnation);
    relay.kill();
    Thread.sleep(fault.holdMillis());
    relay.restart();
    say("%s: restarted %s as %s", fault.label(), relay.name(), relay.incarnation());
    return new InjectedFault(
        fault,
        true,
        at,
        at,
        System.currentTimeMillis(),
        incarnation,
        "SIGKILL of the lease holder");
  }

  private InjectedFault killActiveRelayWhileBrokerDown(PlannedFault fault) throws Exception {
    Optional<RelayNode> before = environment.awaitLeaseHolder(FIND_ACTIVE_RELAY);
    if (before.isEmpty()) {
      return InjectedFault.skipped(fault, "no relay held the lease");
    }
    long at = System.currentTimeMillis();
    say("%s: SIGKILL the broker", fault.label());
    environment.broker().kill();
    Thread.sleep(fault.leadMillis());
    Optional<RelayNode> active = environment.awaitLeaseHolder(Duration.ofSeconds(2));
    RelayNode relay = active.orElse(before.get());
    String incarnation = relay.incarnation();
    long killedAt = System.currentTimeMillis();
    say("%s: SIGKILL %s (holds the lease) while the broker is down", fault.label(), incarnation);
    relay.kill();
    Thread.sleep(fault.holdMillis());
    say("%s: restarting the broker", fault.label());
    environment.broker().restart();
    relay.restart();
    say("%s: broker back, restarted %s as %s", fault.label(), relay.name(), relay.incarnation());
    return new InjectedFault(
        fault,
        true,
        at,
        killedAt,
        System.currentTimeMillis(),
        incarnation,
        "broker SIGKILLed, then the lease holder");
  }

  private InjectedFault terminateActiveRelay(PlannedFault fault) throws Exception {
    Optional<RelayNode> active = environment.awaitLeaseHolder(FIND_ACTIVE_RELAY);
    if (active.isEmpty()) {
      return InjectedFault.skipped(fault, "no relay held the lease");
    }
    RelayNode relay = active.get();
    String incarnation = relay.incarnation();
    long at = System.currentTimeMillis();
    say("%s: SIGTERM %s (holds the lease, publishing)", fault.label(), incarnation);
    boolean stopped = relay.terminate();
    say(
        "%s: %s %s after %d ms",
        fault.label(),
        incarnation,
        stopped ? "stopped" : "ignored SIGTERM, SIGKILLed",
        System.currentTimeMillis() - at);
    Thread.sleep(fault.holdMillis());
    relay.restart();
    say("%s: restarted %s as %s", fault.label(), relay.name(), relay.incarnation());
    return new InjectedFault(
        fault,
        true,
        at,
        0,
        System.currentTimeMillis(),
        incarnation,
        stopped ? "graceful stop" : "did not stop within 40 s; SIGKILLed");
  }

  private InjectedFault killOrderService(PlannedFault fault) throws Exception {
    ServiceProcess shop = environment.shop();
    long at = System.currentTimeMillis();
    say("%s: SIGKILL the order service and its shipping consumer", fault.label());
    shop.kill();
    Thread.sleep(fault.holdMillis());
    shop.restart();
    shop.awaitHealthy(SHOP_RESTART_TIMEOUT);
    say("%s: order service back", fault.label());
    return new InjectedFault(
        fault, true, at, 0, System.currentTimeMillis(), "order-service", "SIGKILL, restart");
  }

  private InjectedFault cutOrderServiceDatabase(PlannedFault fault) {
    TcpProxy proxy = environment.shopDatabaseProxy();
    long at = System.currentTimeMillis();
    say("%s: the order service's PostgreSQL refuses it", fault.label());
    proxy.refuseConnections();
    sleepQuietly(fault.holdMillis());
    proxy.acceptConnections();
    say("%s: the order service reaches PostgreSQL again", fault.label());
    return new InjectedFault(
        fault, true, at, 0, System.currentTimeMillis(), "order-service", "connections refused");
  }

  private InjectedFault killBroker(PlannedFault fault) {
    long at = System.currentTimeMillis();
    say("%s: SIGKILL the broker", fault.label());
    environment.broker().kill();
    sleepQuietly(fault.holdMillis());
    environment.broker().restart();
    say("%s: broker back", fault.label());
    return new InjectedFault(
        fault, true, at, 0, System.currentTimeMillis(), "broker", "SIGKILL, restart");
  }

  private InjectedFault restartPostgres(PlannedFault fault) throws Exception {
    if (settings.postgresRestart().isEmpty()) {
      return InjectedFault.skipped(fault, "FAULTS_POSTGRES_RESTART is not set");
    }
    String command = settings.postgresRestart().get();
    Path log = settings.outputDirectory().resolve("postgres-restart.log");
    Files.writeString(
        log,
        "=== " + fault.label() + ": " + command + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    long at = System.currentTimeMillis();
    say("%s: restarting PostgreSQL (%s)", fault.label(), command);
    Process process =
        new ProcessBuilder("sh", "-c", command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the restart command did not end within 2 minutes");
    }
    String detail =
        "exit " + process.exitValue() + ", " + (System.currentTimeMillis() - at) + " ms";
    say("%s: restart command ended (%s)", fault.label(), detail);
    if (process.exitValue() != 0) {
      throw new IllegalStateException("the restart command failed (" + detail + "), see " + log);
    }
    return new InjectedFault(fault, true, at, 0, System.currentTimeMillis(), "postgresql", detail);
  }

  private InjectedFault poison(PlannedFault fault) throws Exception {
    String aggregateId = "poison-" + fault.number() + "-" + Long.toHexString(settings.seed());
    OutboxWriter writer = OutboxWriter.builder().build();
    long at = System.currentTimeMillis();
    database.withRetry(
        connection -> {
          connection.setAutoCommit(false);
          writer.writeAndCommit(
              connection,
              OutboxEvent.builder()
                  .aggregateType(POISON_AGGREGATE)
                  .aggregateId(aggregateId)
                  .eventType("Poison")
                  .jsonPayload("{\"reason\":\"its topic does not exist\"}")
                  .build());
          return null;
        });
    say(
        "%s: wrote an event for topic outbox.event.%s (absent), key %s",
        fault.label(), POISON_AGGREGATE, aggregateId);
    return new InjectedFault(
        fault, true, at, 0, System.currentTimeMillis(), aggregateId, "topic does not exist");
  }

  private InjectedFault stall(PlannedFault fault) throws Exception {
    Optional<RelayNode> active = environment.awaitLeaseHolder(FIND_ACTIVE_RELAY);
    RelayNode relay = active.orElse(environment.relays().get(0));
    long at = System.currentTimeMillis();
    say("%s: stalling %s's connections to PostgreSQL", fault.label(), relay.incarnation());
    relay.proxy().stall();
    try {
      Thread.sleep(fault.holdMillis());
    } finally {
      relay.proxy().resume();
    }
    say("%s: %s's connections carry bytes again", fault.label(), relay.name());
    return new InjectedFault(
        fault,
        true,
        at,
        0,
        System.currentTimeMillis(),
        relay.incarnation(),
        active.isPresent() ? "lease holder" : "no lease holder found; stalled relay-a");
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
