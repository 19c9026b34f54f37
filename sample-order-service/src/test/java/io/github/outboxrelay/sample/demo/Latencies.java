package io.github.outboxrelay.sample.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The way of each placed order from its commit to the shipping projection, and its two stages: the
 * relay's (commit to Kafka) and the consumer's (Kafka to projection). Commit times come from
 * PostgreSQL ({@code pg_xact_commit_timestamp} of the order's outbox row) where the server tracks
 * them, as the demo's embedded server does; elsewhere the order's {@code created_at}, when its
 * transaction began, stands in, and the relay's share then includes the rest of that transaction.
 * The projection time is the shipment's {@code updated_at}, when the consumer's transaction began.
 * PostgreSQL's clock and the broker's, on one host.
 */
record Latencies(Spread total, Spread warm, Spread relay, Spread consumer, boolean fromCommit) {

  /**
   * The orders of the first seconds meet cold JVMs (the service, its consumer and the relay compile
   * their hot paths while the shoppers already push): their way takes seconds, the later ones' a
   * few hundred milliseconds (2026-12-01, per second of a run). The report shows both.
   */
  static final long WARM_UP_MILLIS = 3_000;

  /** Percentiles of one stage, in milliseconds. */
  record Spread(double[] millis) {

    static Spread of(List<Long> values) {
      long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return new Spread(new double[0]);
      }
      return new Spread(
          new double[] {
            rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99), sorted[sorted.length - 1]
          });
    }

    /** The nearest-rank percentile. */
    private static double rank(long[] sorted, double quantile) {
      int index = (int) Math.ceil(quantile * sorted.length) - 1;
      return sorted[Math.max(0, index)];
    }

    @Override
    public String toString() {
      return millis.length == 0
          ? "no orders"
          : "p50 %5.0f ms, p95 %5.0f ms, p99 %5.0f ms, max %5.0f ms"
              .formatted(millis[0], millis[1], millis[2], millis[3]);
    }
  }

  static Latencies of(Connection connection, KafkaArrivals arrivals) throws SQLException {
    boolean fromCommit = tracksCommitTimes(connection);
    String committed =
        fromCommit ? "pg_xact_commit_timestamp(e.xmin)" : "o.created_at"; // a fixed choice
    List<Long> total = new ArrayList<>();
    List<long[]> commitAndWay = new ArrayList<>();
    List<Long> relay = new ArrayList<>();
    List<Long> consumer = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT o.id::text, (extract(epoch FROM "
                    + committed
                    + ") * 1000)::bigint, (extract(epoch FROM s.updated_at) * 1000)::bigint"
                    + " FROM orders o JOIN shipments s ON s.order_id = o.id"
                    + " JOIN outbox e ON e.aggregateid = o.id::text AND e.type = 'OrderPlaced'"
                    + " WHERE o.status = 'PLACED'")) {
      while (rs.next()) {
        long commit = rs.getLong(2);
        long projected = rs.getLong(3);
        total.add(projected - commit);
        commitAndWay.add(new long[] {commit, projected - commit});
        Long inKafka = arrivals.placedAtMillisByOrder().get(rs.getString(1));
        if (inKafka != null) {
          relay.add(inKafka - commit);
          consumer.add(projected - inKafka);
        }
      }
    }
    long first = commitAndWay.stream().mapToLong(pair -> pair[0]).min().orElse(0);
    List<Long> warm =
        commitAndWay.stream()
            .filter(pair -> pair[0] >= first + WARM_UP_MILLIS)
            .map(pair -> pair[1])
            .toList();
    return new Latencies(
        Spread.of(total), Spread.of(warm), Spread.of(relay), Spread.of(consumer), fromCommit);
  }

  /** What the report calls the start of the way. */
  String start() {
    return fromCommit ? "order commit" : "order transaction start";
  }

  private static boolean tracksCommitTimes(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW track_commit_timestamp")) {
      rs.next();
      return "on".equals(rs.getString(1));
    }
  }
}
