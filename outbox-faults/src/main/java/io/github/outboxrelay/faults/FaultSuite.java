package io.github.outboxrelay.faults;

import static io.github.outboxrelay.faults.Say.say;
import static org.awaitility.Awaitility.await;

import io.github.outboxrelay.faults.check.CommittedEvent;
import io.github.outboxrelay.faults.check.DeliveredRecord;
import io.github.outboxrelay.faults.check.MetricsAgreement;
import io.github.outboxrelay.faults.check.RelayScrape;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The fault suite (README, "Fault suite"): runs the packaged order service and two relays under
 * continuous load, injects the faults a seed schedules, then restores everything, lets the relays
 * drain and accounts for every event in Kafka against the outbox table. Exits 0 when nothing was
 * lost or invented, first deliveries kept their order per key and the shop's books add up; 1 when a
 * check failed; 2 when the suite itself could not run.
 */
public final class FaultSuite {

  /** The faults may overrun the load by this much before the rest is skipped. */
  private static final Duration FAULT_OVERRUN = Duration.ofSeconds(20);

  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

  /** The relays refresh their table gauges every 5 s (outbox.metricsRefresh). */
  private static final Duration GAUGE_REFRESH = Duration.ofSeconds(6);

  private FaultSuite() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(FaultSettings.fromEnvironment()) ? 0 : 1;
    } catch (Exception e) {
      // Print it here: under exec:java an exception may otherwise surface only after a long wait.
      System.err.println("[faults] failed: " + e);
      e.printStackTrace();
      status = 2;
    }
    System.exit(status);
  }

  private static boolean run(FaultSettings settings) throws Exception {
    long started = System.nanoTime();
    Files.createDirectories(settings.outputDirectory());
    Files.deleteIfExists(SuiteReport.jsonFile(settings));
    ConsoleCopy.install(settings.outputDirectory().resolve("suite.log"));
    FaultSchedule schedule = FaultSchedule.plan(settings.profile(), settings.seed());
    announce(settings, schedule);
    Database database = new Database(settings);
    try (FaultEnvironment environment = FaultEnvironment.start(settings, database);
        MetricsScraper metrics = new MetricsScraper(environment.relays())) {
      metrics.start();
      ShopLoad load =
          new ShopLoad(
              environment.shopUrl(),
              settings.clients(),
              settings.ordersPerSecond(),
              settings.seed());
      say(
          "load: %d clients, about %d orders/s, for %d s; faults begin",
          settings.clients(), settings.ordersPerSecond(), settings.profile().load.toSeconds());
      long loadStart = System.nanoTime();
      long loadEnd = loadStart + settings.profile().load.toNanos();
      load.start();
      List<InjectedFault> faults =
          new FaultInjector(environment, database, settings)
              .run(schedule, loadStart, loadEnd + FAULT_OVERRUN.toNanos());
      long rest = loadEnd - System.nanoTime();
      if (rest > 0) {
        TimeUnit.NANOSECONDS.sleep(rest);
      }
      load.stop();
      say("load stopped after %d requests", load.responses().requests.get());
      environment.restore();
      say("restored: broker up, proxies forwarding, both relays running; draining");
      long drainStart = System.nanoTime();
      boolean drained = awaitDrained(database);
      say(
          "%s after %.1f s",
          drained ? "drained" : "NOT drained within " + DRAIN_TIMEOUT.toSeconds() + " s",
          (System.nanoTime() - drainStart) / 1e9);
      Thread.sleep(GAUGE_REFRESH.toMillis());
      List<RelayScrape> finalScrapes = new ArrayList<>();
      for (RelayNode relay : environment.relays()) {
        metrics.scrape(relay).ifPresent(finalScrapes::add);
      }
      metrics.close();
      List<DeliveredRecord> records =
          TopicReader.readAll(environment.bootstrapServers(), outboxTopics(environment));
      say("read %d records from the topic", records.size());
      SuiteReport report;
      try (Connection connection = database.connect()) {
        List<CommittedEvent> committed = OutboxTruth.committed(connection);
        report =
            SuiteReport.build(
                new SuiteReport.Inputs(
                    settings,
                    schedule,
                    faults,
                    load.responses(),
                    records,
                    committed,
                    ShopChecks.read(
                        connection, ShopChecks.duplicatesSkipped(environment.shopAdminPort())),
                    PoisonChecks.read(
                        connection,
                        "outbox.event." + FaultInjector.POISON_AGGREGATE,
                        environment.relays().get(0).adminPort(),
                        committed,
                        records),
                    metricsAgreement(connection, metrics, environment, finalScrapes, records),
                    drained,
                    (System.nanoTime() - started) / 1e9));
      }
      SummaryTable.print(report);
      SummaryJson.write(report, SuiteReport.jsonFile(settings));
      return report.passed();
    }
  }

  private static void announce(FaultSettings settings, FaultSchedule schedule) {
    say(
        "profile %s, seed %d (replay with FAULTS_SEED=%d)",
        settings.profile().name().toLowerCase(Locale.ROOT), settings.seed(), settings.seed());
    say("relay jar %s", settings.relayJar());
    say("order service jar %s", settings.shopJar());
    say(
        "PostgreSQL restart: %s",
        settings
            .postgresRestart()
            .map(command -> "'" + command + "'")
            .orElse("skipped (FAULTS_POSTGRES_RESTART is not set)"));
    say("schedule (seconds after the load starts):");
    for (PlannedFault fault : schedule.faults()) {
      say("  %s", fault.describe());
    }
  }

  /** Every event published or parked, and every order event applied by the consumer. */
  private static boolean awaitDrained(Database database) {
    try {
      await()
          .atMost(DRAIN_TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  database.count("SELECT count(*) FROM outbox_pending") == 0
                      && database.count(
                              "SELECT count(*) FROM outbox WHERE topic = '"
                                  + FaultEnvironment.TOPIC
                                  + "' AND id NOT IN (SELECT event_id FROM processed_events)")
                          == 0);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private static List<String> outboxTopics(FaultEnvironment environment) throws Exception {
    try (Admin admin = environment.admin()) {
      return admin.listTopics().names().get().stream()
          .filter(topic -> topic.startsWith("outbox.event."))
          .sorted()
          .toList();
    }
  }

  private static MetricsAgreement metricsAgreement(
      Connection connection,
      MetricsScraper metrics,
      FaultEnvironment environment,
      List<RelayScrape> finalScrapes,
      List<DeliveredRecord> records)
      throws Exception {
    Map<String, Long> ended = new HashMap<>();
    Map<String, RelayScrape> lastScrapes = new HashMap<>(metrics.lastScrapes());
    for (RelayNode relay : environment.relays()) {
      ended.putAll(relay.endedIncarnations());
      // An incarnation killed before its admin port answered was never scraped: all it marked is
      // within the tolerance, counted from its start.
      relay
          .startedIncarnations()
          .forEach(
              (incarnation, startedAt) ->
                  lastScrapes.computeIfAbsent(
                      incarnation,
                      i ->
                          new RelayScrape(
                              relay.name(),
                              Long.parseLong(i.substring(i.indexOf('#') + 1)),
                              startedAt,
                              0,
                              0,
                              0,
                              false,
                              -1)));
    }
    return RelayMetricsCheck.check(connection, lastScrapes.values(), ended, finalScrapes, records);
  }
}
