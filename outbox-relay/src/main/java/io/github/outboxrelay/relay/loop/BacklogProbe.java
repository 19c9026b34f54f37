package io.github.outboxrelay.relay.loop;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Pauses;
import io.github.outboxrelay.relay.db.Transactions;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
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
   * keys (one key each); {@code held} events wait behind them; {@code paused} are the paused topics
   * ({@code *}: everything).
   */
  public record Snapshot(
      long pending, Duration oldestAge, long parked, long held, List<String> paused) {}

  private final CachedGauge<Snapshot> cache;

  public BacklogProbe(
      DataSource dataSource,
      FrontierQueries frontiers,
      ParkedEvents parked,
      Pauses pauses,
      Duration refresh) {
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
                          parked.heldCount(connection),
                          pauses.list(connection).stream().map(Pauses.Pause::topic).toList()));
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

  /**
   * The same figures for Prometheus, in base units; NaN while the database cannot be read, so that
   * an alert on them does not fire on a made-up value. {@code outbox_paused} has a series per
   * paused topic ({@code *} for everything).
   */
  public void register(PrometheusRegistry registry) {
    gauge(registry, "outbox_backlog_events", "Events waiting to be published", Snapshot::pending);
    gauge(
        registry,
        "outbox_oldest_unpublished_age_seconds",
        "How long the oldest waiting event has waited, by the database's clock",
        s -> s.oldestAge().toMillis() / 1000.0);
    gauge(
        registry,
        "outbox_parked_events",
        "Parked events, not skipped: each holds its key",
        Snapshot::parked);
    gauge(registry, "outbox_held_events", "Events held behind a parked event", Snapshot::held);
    GaugeWithCallback.builder()
        .name("outbox_paused")
        .help("1 for each paused topic; topic \"*\" while everything is paused")
        .labelNames("topic")
        .callback(
            callback ->
                snapshot().ifPresent(s -> s.paused().forEach(topic -> callback.call(1, topic))))
        .register(registry);
  }

  private void gauge(
      PrometheusRegistry registry,
      String name,
      String help,
      java.util.function.ToDoubleFunction<Snapshot> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            callback -> callback.call(snapshot().map(value::applyAsDouble).orElse(Double.NaN)))
        .register(registry);
  }
}
