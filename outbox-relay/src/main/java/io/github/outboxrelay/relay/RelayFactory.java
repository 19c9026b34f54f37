package io.github.outboxrelay.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.github.outboxrelay.relay.core.ClaimGate;
import io.github.outboxrelay.relay.core.PublishedRows;
import io.github.outboxrelay.relay.core.WorkSignal;
import io.github.outboxrelay.relay.db.ExclusiveLease;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.LeaseDirectory;
import io.github.outboxrelay.relay.db.NotificationListener;
import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Pauses;
import io.github.outboxrelay.relay.health.LagHealthCheck;
import io.github.outboxrelay.relay.health.RelayHealthCheck;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import io.github.outboxrelay.relay.loop.BacklogProbe;
import io.github.outboxrelay.relay.loop.OutboxRelay;
import io.github.outboxrelay.relay.loop.RelayMetrics;
import io.github.outboxrelay.relay.loop.RelaySettings;
import io.github.outboxrelay.relay.loop.RelayStatus;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The {@code outbox} section: how the relay loop claims and publishes, and what it builds (the
 * loop, the lease, the listener, their health checks and gauges). Each key, its default and its
 * bounds are documented once, in the README's "Relay configuration" table, which {@code
 * ConfigurationReferenceTest} holds to this class and to {@code config/relay.yml}.
 */
public class RelayFactory {

  @NotBlank private String table = "outbox";

  @Min(1)
  @Max(10_000)
  private int batchSize = 2000;

  @Min(1)
  @Max(8)
  private int inFlightBatches = 2;

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration pollInterval = Duration.milliseconds(100);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration activePollInterval = Duration.milliseconds(5);

  private boolean listenNotify;

  private boolean exclusive = true;

  /** Null until configured: then {@link #getPublished()} chooses by {@link #exclusive}. */
  private PublishedRows published;

  @NotNull
  @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration leaseCheckInterval = Duration.seconds(1);

  @NotNull
  @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}", message = "must be a lower-case SQL identifier")
  private String notifyChannel = "outbox_events";

  @Min(1)
  @Max(1000)
  private int maxAttempts = 5;

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration backoffInitial = Duration.milliseconds(100);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
  private Duration backoffMax = Duration.seconds(30);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
  private Duration shutdownTimeout = Duration.seconds(30);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 7, unit = TimeUnit.DAYS)
  private Duration lagThreshold = Duration.minutes(1);

  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.HOURS)
  private Duration metricsRefresh = Duration.seconds(5);

  @Valid @NotNull private RetentionFactory retention = new RetentionFactory();

  /** {@link #instanceName}'s default: this host's name and this process's id. */
  static final String HOST_AND_PID = "host/pid";

  @NotNull
  @Pattern(regexp = "[^\\s]{1,40}", message = "must be 1 to 40 characters without spaces")
  private String instanceName = HOST_AND_PID;

  @ValidationMethod(message = "backoffMax must not be shorter than backoffInitial")
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isBackoffOrdered() {
    return backoffInitial == null
        || backoffMax == null
        || backoffMax.toMilliseconds() >= backoffInitial.toMilliseconds();
  }

  @ValidationMethod(
      message =
          "published: keep needs exclusive: true (only the lease holder's position can say what is"
              + " published); with exclusive: false choose published: mark or delete")
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isPublishedRecordable() {
    return exclusive || getPublished() != PublishedRows.KEEP;
  }

  @JsonProperty
  public String getTable() {
    return table;
  }

  @JsonProperty
  public void setTable(String table) {
    this.table = table;
  }

  @JsonProperty
  public int getBatchSize() {
    return batchSize;
  }

  @JsonProperty
  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  @JsonProperty
  public int getInFlightBatches() {
    return inFlightBatches;
  }

  @JsonProperty
  public void setInFlightBatches(int inFlightBatches) {
    this.inFlightBatches = inFlightBatches;
  }

  @JsonProperty
  public boolean isExclusive() {
    return exclusive;
  }

  @JsonProperty
  public void setExclusive(boolean exclusive) {
    this.exclusive = exclusive;
  }

  @JsonProperty
  public PublishedRows getPublished() {
    if (published != null) {
      return published;
    }
    // Behind the lease the stored position records what is published, at no cost per row; when
    // every relay claims, each published row has to say so itself.
    return exclusive ? PublishedRows.KEEP : PublishedRows.MARK;
  }

  @JsonProperty
  public void setPublished(PublishedRows published) {
    this.published = published;
  }

  @JsonProperty
  public Duration getLeaseCheckInterval() {
    return leaseCheckInterval;
  }

  @JsonProperty
  public void setLeaseCheckInterval(Duration leaseCheckInterval) {
    this.leaseCheckInterval = leaseCheckInterval;
  }

  @JsonProperty
  public Duration getPollInterval() {
    return pollInterval;
  }

  @JsonProperty
  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  @JsonProperty
  public Duration getActivePollInterval() {
    return activePollInterval;
  }

  @JsonProperty
  public void setActivePollInterval(Duration activePollInterval) {
    this.activePollInterval = activePollInterval;
  }

  @JsonProperty
  public boolean isListenNotify() {
    return listenNotify;
  }

  @JsonProperty
  public void setListenNotify(boolean listenNotify) {
    this.listenNotify = listenNotify;
  }

  @JsonProperty
  public String getNotifyChannel() {
    return notifyChannel;
  }

  @JsonProperty
  public void setNotifyChannel(String notifyChannel) {
    this.notifyChannel = notifyChannel;
  }

  @JsonProperty
  public int getMaxAttempts() {
    return maxAttempts;
  }

  @JsonProperty
  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  @JsonProperty
  public Duration getBackoffInitial() {
    return backoffInitial;
  }

  @JsonProperty
  public void setBackoffInitial(Duration backoffInitial) {
    this.backoffInitial = backoffInitial;
  }

  @JsonProperty
  public Duration getBackoffMax() {
    return backoffMax;
  }

  @JsonProperty
  public void setBackoffMax(Duration backoffMax) {
    this.backoffMax = backoffMax;
  }

  @JsonProperty
  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  @JsonProperty
  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  @JsonProperty
  public Duration getLagThreshold() {
    return lagThreshold;
  }

  @JsonProperty
  public void setLagThreshold(Duration lagThreshold) {
    this.lagThreshold = lagThreshold;
  }

  @JsonProperty
  public Duration getMetricsRefresh() {
    return metricsRefresh;
  }

  @JsonProperty
  public void setMetricsRefresh(Duration metricsRefresh) {
    this.metricsRefresh = metricsRefresh;
  }

  @JsonProperty
  public RetentionFactory getRetention() {
    return retention;
  }

  @JsonProperty
  public void setRetention(RetentionFactory retention) {
    this.retention = retention;
  }

  @JsonProperty
  public String getInstanceName() {
    return instanceName;
  }

  @JsonProperty
  public void setInstanceName(String instanceName) {
    this.instanceName = instanceName;
  }

  /** How the other relays and the admin API name this one. */
  public String instance() {
    return HOST_AND_PID.equals(instanceName) ? LeaseDirectory.thisInstance() : instanceName;
  }

  /**
   * The relay loop and what belongs to it, built and registered: the exclusive lease (or none), the
   * notification listener, the loop itself, the {@code relay} and {@code outbox-lag} health checks,
   * the backlog gauges and {@code outbox.relay.active}. Managed in this order, so the lease starts
   * before the loop and is released after it stopped.
   *
   * @param ackTimeout the longest a sent batch waits for Kafka (see {@link KafkaFactory})
   */
  public void build(
      Environment environment,
      DatabaseFactory database,
      DataSource dataSource,
      OutboxRepository repository,
      FrontierQueries frontiers,
      KafkaPublisher publisher,
      java.time.Duration ackTimeout,
      PrometheusRegistry prometheus) {
    ClaimGate gate = claimGate(environment, database, ackTimeout);
    environment.metrics().gauge("outbox.relay.active", () -> () -> gate.isOpen() ? 1 : 0);
    GaugeWithCallback.builder()
        .name("outbox_relay_lease_holder")
        .help("1 while this relay claims (holds the lease, or every relay claims), else 0")
        .callback(callback -> callback.call(gate.isOpen() ? 1 : 0))
        .register(prometheus);
    RelayStatus status = new RelayStatus();
    environment.healthChecks().register("relay", new RelayHealthCheck(status, gate));
    WorkSignal signal = new WorkSignal();
    environment
        .lifecycle()
        .manage(
            new OutboxRelay(
                dataSource,
                repository,
                frontiers,
                publisher,
                settings(),
                new RelayMetrics(environment.metrics(), prometheus),
                status,
                signal,
                gate));
    if (listenNotify) {
      environment
          .lifecycle()
          .manage(
              new NotificationListener(
                  () -> database.openUnpooled("outbox-relay-listener"), notifyChannel, signal));
    }
    BacklogProbe probe =
        new BacklogProbe(
            dataSource,
            frontiers,
            new ParkedEvents(repository.table()),
            new Pauses(repository.table()),
            metricsRefresh.toJavaDuration());
    probe.register(environment.metrics());
    probe.register(prometheus);
    environment
        .healthChecks()
        .register("outbox-lag", new LagHealthCheck(probe, lagThreshold.toJavaDuration()));
  }

  /** The exclusive lease, or every relay claims; see {@link ExclusiveLease}. */
  private ClaimGate claimGate(
      Environment environment, DatabaseFactory database, java.time.Duration ackTimeout) {
    if (!exclusive) {
      return ClaimGate.ALWAYS_OPEN;
    }
    ExclusiveLease lease =
        new ExclusiveLease(
            () -> database.openUnpooled("outbox-relay-lease"),
            table,
            instance(),
            leaseCheckInterval.toJavaDuration(),
            ackTimeout.plus(shutdownTimeout.toJavaDuration()));
    environment.lifecycle().manage(lease);
    return lease;
  }

  /** The loop's settings as plain values. */
  public RelaySettings settings() {
    return new RelaySettings(
        batchSize,
        inFlightBatches,
        pollInterval.toJavaDuration(),
        activePollInterval.toJavaDuration(),
        maxAttempts,
        backoffInitial.toJavaDuration(),
        backoffMax.toJavaDuration(),
        shutdownTimeout.toJavaDuration(),
        getPublished());
  }
}
