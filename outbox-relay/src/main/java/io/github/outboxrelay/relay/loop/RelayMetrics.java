package io.github.outboxrelay.relay.loop;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.github.outboxrelay.relay.core.DeliveryFailure;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The relay loop's own metrics, in Dropwizard's registry ({@code /metrics}) and in Prometheus's
 * ({@code /metrics/prometheus}, with a label per topic and per failure kind); the table's gauges
 * live in {@link BacklogProbe}.
 */
public final class RelayMetrics {

  static final String PREFIX = "outbox.relay.";

  final Meter published;
  final Histogram batchSize;
  final Timer publishLatency;
  final Timer claimLatency;
  final Timer markLatency;
  final Meter permanentFailures;
  final Meter transientFailures;
  final Meter rolledBackBatches;
  final Meter redelivered;
  final Meter parked;
  final Meter held;

  private final Counter publishedByTopic;
  private final Counter failuresByKind;
  private final io.prometheus.metrics.core.metrics.Histogram batchDuration;

  public RelayMetrics(MetricRegistry registry, PrometheusRegistry prometheus) {
    published = registry.meter(PREFIX + "published");
    batchSize = registry.histogram(PREFIX + "batch-size");
    publishLatency = registry.timer(PREFIX + "publish-latency");
    claimLatency = registry.timer(PREFIX + "claim-latency");
    markLatency = registry.timer(PREFIX + "mark-latency");
    permanentFailures = registry.meter(PREFIX + "failures.permanent");
    transientFailures = registry.meter(PREFIX + "failures.transient");
    rolledBackBatches = registry.meter(PREFIX + "batches.rolled-back");
    redelivered = registry.meter(PREFIX + "records.sent-again");
    parked = registry.meter(PREFIX + "parked");
    held = registry.meter(PREFIX + "held"); // events held behind a parked event of their key
    publishedByTopic =
        Counter.builder()
            .name("outbox_relay_published_events")
            .help("Events Kafka acknowledged and this relay recorded as published")
            .labelNames("topic")
            .register(prometheus);
    failuresByKind =
        Counter.builder()
            .name("outbox_relay_delivery_failures")
            .help(
                "Failed deliveries of single events, by kind: malformed, permanent, missing_topic,"
                    + " transient")
            .labelNames("kind")
            .register(prometheus);
    batchDuration =
        io.prometheus.metrics.core.metrics.Histogram.builder()
            .name("outbox_relay_batch_duration_seconds")
            .help("From a batch's send to the commit that records it")
            .classicOnly()
            .register(prometheus);
  }

  /** Counts the acknowledged rows of a batch, per topic; {@code acknowledged} is in row order. */
  void published(List<OutboxRow> rows, long[] acknowledged) {
    published.mark(acknowledged.length);
    int next = 0;
    String topic = null;
    long run = 0;
    for (int i = 0; i < rows.size() && next < acknowledged.length; i++) {
      OutboxRow row = rows.get(i);
      if (row.seq() != acknowledged[next]) {
        continue;
      }
      next++;
      if (!java.util.Objects.equals(row.topic(), topic)) {
        if (run > 0) {
          publishedByTopic.labelValues(topic).inc(run);
        }
        topic = row.topic();
        run = 0;
      }
      run++;
    }
    if (run > 0) {
      publishedByTopic.labelValues(topic).inc(run);
    }
  }

  void failed(DeliveryFailure failure) {
    failuresByKind.labelValues(failure.kind().name().toLowerCase(Locale.ROOT)).inc();
    if (failure.permanent()) {
      permanentFailures.mark();
    } else {
      transientFailures.mark();
    }
  }

  void batchCommitted(long sentAtNanos) {
    batchDuration.observe((System.nanoTime() - sentAtNanos) / (double) TimeUnit.SECONDS.toNanos(1));
  }
}
