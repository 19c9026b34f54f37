package io.github.outboxrelay.relay.loop;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Transactions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Backlog, oldest-unpublished age and parked count, read from the table at most once per refresh
 * interval whatever asks (gauges, the lag health check), so watching the relay costs the database
 * one cheap query every few seconds. All three use partial indexes.
 */
public final class BacklogProbe {

  /**
   * One reading; {@code oldestAge} is zero when nothing waits. {@code parked} events hold their
   * keys (one key each); {@code held} events wait behind them.
   */
  public record Snapshot(long pending, Duration oldestAge, long parked, long held) {}

  private final CachedGauge<Snapshot> cache;

  public BacklogProbe(
      DataSource dataSource, FrontierQueries frontiers, ParkedEvents parked, Duration refresh) {
    this.cache =
        new CachedGauge<>(refresh.toMillis(), TimeUnit.MILLISECONDS) {
          @Override
          protected Snapshot loadValue() {
            try {
              return Transactions.inTransaction(
                  dataSource,
                  connection ->
                      new Snapshot(
                          frontiers.pendingCount(connection),
                          frontiers.oldestPendingAge(connection),
                          parked.parkedCount(connection),
                          parked.heldCount(connection)));
            } catch (SQLException e) {
              return null; // the gauges read -1 and the lag check says it cannot read the backlog
            }
          }
        };
  }

  /** The latest reading, or empty if the database could not be read. */
  public Optional<Snapshot> snapshot() {
    return Optional.ofNullable(cache.getValue());
  }

  public void register(MetricRegistry registry) {
    registry.register(
        "outbox.backlog", (Gauge<Long>) () -> snapshot().map(Snapshot::pending).orElse(-1L));
    registry.register(
        "outbox.oldest-unpublished-age-ms",
        (Gauge<Long>) () -> snapshot().map(s -> s.oldestAge().toMillis()).orElse(-1L));
    registry.register(
        "outbox.parked", (Gauge<Long>) () -> snapshot().map(Snapshot::parked).orElse(-1L));
    registry.register(
        "outbox.held", (Gauge<Long>) () -> snapshot().map(Snapshot::held).orElse(-1L));
  }
}
