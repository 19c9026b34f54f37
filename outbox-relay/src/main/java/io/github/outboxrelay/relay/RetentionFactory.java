package io.github.outboxrelay.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.db.RetentionJob;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The {@code outbox.retention} section: deletion of published history, so the table and its indexes
 * do not bloat. Keys and defaults: the README's "Relay configuration" table.
 */
public class RetentionFactory {

  private boolean enabled = true;

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 3650, unit = TimeUnit.DAYS)
  private Duration publishedAge = Duration.days(7);

  @Min(1)
  @Max(100_000)
  private int batchSize = 1000;

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.DAYS)
  private Duration interval = Duration.minutes(1);

  @JsonProperty
  public boolean isEnabled() {
    return enabled;
  }

  @JsonProperty
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @JsonProperty
  public Duration getPublishedAge() {
    return publishedAge;
  }

  @JsonProperty
  public void setPublishedAge(Duration publishedAge) {
    this.publishedAge = publishedAge;
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
  public Duration getInterval() {
    return interval;
  }

  @JsonProperty
  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  /** Schedules the deletion of published history, unless disabled. */
  public void build(
      Environment environment,
      DataSource dataSource,
      FrontierQueries frontiers,
      OutboxRepository repository) {
    if (!enabled) {
      return;
    }
    ScheduledExecutorService scheduler =
        environment.lifecycle().scheduledExecutorService("outbox-retention").threads(1).build();
    scheduler.scheduleWithFixedDelay(
        new RetentionJob(
            dataSource, frontiers, repository, publishedAge.toJavaDuration(), batchSize),
        interval.toMilliseconds(),
        interval.toMilliseconds(),
        TimeUnit.MILLISECONDS);
  }
}
