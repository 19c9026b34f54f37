package io.github.outboxrelay.sample.demo;

import static io.github.outboxrelay.sample.demo.DemoEnvironment.say;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one-command demo (README): starts Kafka (unless {@code KAFKA_BOOTSTRAP_SERVERS} names one),
 * the order service with its shipping consumer and the relay, places {@code DEMO_ORDERS} orders
 * (default 3000) with {@code DEMO_CONCURRENCY} shoppers (default 16), waits until every event has
 * reached the consumer, prints a report and stops everything it started, also on Ctrl-C.
 */
public final class Demo {

  private Demo() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(DemoSettings.fromEnvironment()) ? 0 : 1;
    } catch (Exception e) {
      if (DemoEnvironment.stopping) {
        return; // Ctrl-C: the shutdown hook stops everything and says so
      }
      // Print it here: under exec:java an exception may otherwise surface only after a long wait.
      System.err.println("[demo] failed: " + e);
      e.printStackTrace();
      status = 2;
    }
    System.exit(status);
  }

  private static boolean run(DemoSettings settings) throws Exception {
    boolean ok;
    try (DemoEnvironment environment = DemoEnvironment.start(settings)) {
      OrderLoad load =
          new OrderLoad(environment.shopUrl(), settings.orders(), settings.concurrency());
      try (Connection connection = environment.connect();
          Statement statement = connection.createStatement()) {
        for (int p = 1; p <= OrderLoad.PRODUCTS; p++) {
          statement.execute(
              "INSERT INTO products (id, name, stock) VALUES ('product-%d', 'Product %d', %d)"
                  .formatted(p, p, load.stockPerProduct()));
        }
      }
      say(
          "placing %d orders with %d concurrent shoppers (stock for about 85%% of them)",
          settings.orders(), settings.concurrency());
      long start = System.nanoTime();
      ScheduledExecutorService progress =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "demo-progress");
                thread.setDaemon(true);
                return thread;
              });
      try (Connection monitor = environment.connect();
          Connection progressConnection = environment.connect()) {
        progress.scheduleAtFixedRate(
            () -> printProgress(progressConnection, load), 1, 1, TimeUnit.SECONDS);
        load.run();
        try {
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> DemoReport.drained(monitor));
        } catch (ConditionTimeoutException e) {
          say("not everything reached the consumer within two minutes; reporting what did");
        }
        progress.shutdownNow();
        progress.awaitTermination(5, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        KafkaArrivals arrivals =
            KafkaArrivals.read(environment.bootstrapServers(), DemoEnvironment.TOPIC);
        ok = DemoReport.print(monitor, load, environment.shopAdminPort(), seconds, arrivals);
      }
    }
    return ok;
  }

  private static void printProgress(Connection connection, OrderLoad load) {
    if (DemoEnvironment.stopping) {
      return;
    }
    try {
      say(
          "orders %d placed, %d rejected | outbox: %d waiting | consumer: %d applied",
          load.placed.get(),
          load.rejected.get(),
          DemoReport.count(connection, "SELECT count(*) FROM outbox_pending"),
          DemoReport.count(connection, "SELECT count(*) FROM processed_events"));
    } catch (Exception e) {
      say("progress unavailable: %s", e.getMessage());
    }
  }
}
