package io.github.outboxrelay.benchmark;

import io.github.outboxrelay.writer.OutboxEvent;
import io.github.outboxrelay.writer.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Benchmark 3: the sample service's order placement transaction (decrement stock if enough is left,
 * insert the order) with and without the outbox write, at the same concurrency, on the outbox table
 * as installed by default (no notify trigger). The SQL is the sample service's, and so is the way
 * it writes the event ({@code writeAndCommit}); {@code write} with a separate commit is measured
 * too, for users who cannot make the event their transaction's last write.
 */
final class WriterOverheadBenchmark {

  record Mode(String name, long transactions, double seconds, double meanMs, double p99Ms) {
    double perSecond() {
      return transactions / seconds;
    }
  }

  /** How a transaction writes its event, if at all. */
  enum Write {
    NONE("without outbox"),
    /** {@link OutboxWriter#writeAndCommit}: the event and the commit in one round trip. */
    AND_COMMIT("with outbox"),
    /** {@link OutboxWriter#write}, then {@code commit()}: a round trip more. */
    SEPARATE("write(), commit()");

    final String label;

    Write(String label) {
      this.label = label;
    }
  }

  /**
   * {@code with} is the transaction as the sample service runs it ({@code writeAndCommit}); {@code
   * separate} is the same with {@code write} and a separate {@code commit()}.
   */
  record Result(int threads, Mode without, Mode with, Mode separate) {
    double meanRatio() {
      return with.meanMs() / without.meanMs();
    }

    double p99Ratio() {
      return with.p99Ms() / without.p99Ms();
    }

    double throughputRatio() {
      return with.perSecond() / without.perSecond();
    }

    double separateMeanRatio() {
      return separate.meanMs() / without.meanMs();
    }
  }

  private static final int THREADS = 8;
  private static final int PRODUCTS = 1000;
  private static final Duration WARM_UP = Duration.ofSeconds(5);

  private WriterOverheadBenchmark() {}

  static Result run(OutboxData data, Duration duration) throws Exception {
    try (Connection connection = data.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TRIGGER IF EXISTS outbox_notify ON outbox");
      statement.execute("TRUNCATE outbox");
      statement.execute("DROP TABLE IF EXISTS bench_orders, bench_products");
      statement.execute(
          "CREATE TABLE bench_products (id TEXT PRIMARY KEY, stock INTEGER NOT NULL"
              + " CHECK (stock >= 0))");
      statement.execute(
          "CREATE TABLE bench_orders (id UUID PRIMARY KEY, customer_id TEXT NOT NULL,"
              + " product_id TEXT NOT NULL REFERENCES bench_products (id), quantity INTEGER NOT"
              + " NULL, status TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0,"
              + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      statement.execute(
          "INSERT INTO bench_products SELECT 'product-' || g, 1000000000"
              + " FROM generate_series(1, "
              + PRODUCTS
              + ") g");
    }
    OutboxWriter writer =
        OutboxWriter.builder().topicRouter(type -> BenchmarkSettings.TOPIC).build();
    Mode without = measure(data, Write.NONE, writer, duration);
    Mode with = measure(data, Write.AND_COMMIT, writer, duration);
    Mode separate = measure(data, Write.SEPARATE, writer, duration);
    return new Result(THREADS, without, with, separate);
  }

  private static Mode measure(OutboxData data, Write mode, OutboxWriter writer, Duration duration)
      throws Exception {
    // Every mode starts from the same tables, checkpointed, so none pays for another's history.
    try (Connection connection = data.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE outbox, bench_orders");
      OutboxData.checkpoint(statement);
    }
    Progress.say("writer overhead: order transactions %s, %d threads", mode.label, THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
    long end = warmUpEnd + duration.toNanos();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(pool.submit(() -> placeOrders(data, mode, writer, warmUpEnd, end)));
    }
    List<long[]> perThread = new ArrayList<>();
    for (Future<long[]> future : futures) {
      perThread.add(future.get());
    }
    pool.shutdown();
    long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    double mean = Arrays.stream(all).average().orElse(0) / 1e6;
    double p99 = all.length == 0 ? 0 : all[(int) Math.ceil(0.99 * all.length) - 1] / 1e6;
    Mode result = new Mode(mode.label, all.length, duration.toNanos() / 1e9, mean, p99);
    Progress.say(
        "  %,.0f tx/s, mean %.2f ms, p99 %.2f ms", result.perSecond(), result.meanMs(), p99);
    return result;
  }

  /** Places orders until {@code end}; returns the latencies of those that began after warm-up. */
  private static long[] placeOrders(
      OutboxData data, Write mode, OutboxWriter writer, long warmUpEnd, long end)
      throws SQLException {
    long[] latencies = new long[1 << 20];
    int count = 0;
    byte[] payloadPad = "x".repeat(160).getBytes(StandardCharsets.UTF_8);
    try (Connection connection = data.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement decrement =
              connection.prepareStatement(
                  "UPDATE bench_products SET stock = stock - ? WHERE id = ? AND stock >= ?");
          PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO bench_orders (id, customer_id, product_id, quantity, status)"
                      + " VALUES (?, ?, ?, ?, 'PLACED')")) {
        long now;
        while ((now = System.nanoTime()) < end) {
          String product = "product-" + (1 + ThreadLocalRandom.current().nextInt(PRODUCTS));
          UUID orderId = UUID.randomUUID();
          decrement.setInt(1, 1);
          decrement.setString(2, product);
          decrement.setInt(3, 1);
          decrement.executeUpdate();
          insert.setObject(1, orderId);
          insert.setString(2, "customer");
          insert.setString(3, product);
          insert.setInt(4, 1);
          insert.executeUpdate();
          switch (mode) {
            case NONE -> connection.commit();
            case AND_COMMIT -> writer.writeAndCommit(connection, orderPlaced(orderId, payloadPad));
            case SEPARATE -> {
              writer.write(connection, orderPlaced(orderId, payloadPad));
              connection.commit();
            }
          }
          if (now >= warmUpEnd && count < latencies.length) {
            latencies[count++] = System.nanoTime() - now;
          }
        }
      }
    }
    return Arrays.copyOf(latencies, count);
  }

  private static OutboxEvent orderPlaced(UUID orderId, byte[] payload) {
    return OutboxEvent.builder()
        .aggregateType("order")
        .aggregateId(orderId.toString())
        .eventType("OrderPlaced")
        .payload(payload)
        .build();
  }
}
