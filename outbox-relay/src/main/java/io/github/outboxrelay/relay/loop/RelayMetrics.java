package io.github.outboxrelay.relay.loop;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/** The relay loop's own metrics; the table's gauges live in {@link BacklogProbe}. */
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

  public RelayMetrics(MetricRegistry registry) {
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
  }
}
