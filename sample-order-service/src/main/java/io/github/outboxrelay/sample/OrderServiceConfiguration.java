package io.github.outboxrelay.sample;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.github.outboxrelay.sample.consumer.ConsumerFactory;
import io.github.outboxrelay.sample.db.DatabaseFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The order service's YAML. Keys (defaults): {@code database} (see {@link DatabaseFactory}), {@code
 * migrateOnStart} (true), {@code topicPrefix} ({@code outbox.event.}: events of aggregate {@code
 * order} go to {@code outbox.event.order}), {@code maxTransactionAttempts} (5), {@code
 * retryBackoff} (10ms), {@code reconnectBudget} (2s: how long a transaction that lost the database
 * is tried again before the API answers 503), {@code maxRequestSize} (16KiB), {@code consumer} (the
 * shipping projection, off by default; see {@link ConsumerFactory}).
 */
public class OrderServiceConfiguration extends Configuration {

  @Valid @NotNull private DatabaseFactory database;

  @Valid @NotNull private ConsumerFactory consumer = new ConsumerFactory();

  private boolean migrateOnStart = true;

  @NotBlank private String topicPrefix = "outbox.event.";

  @Min(1)
  @Max(20)
  private int maxTransactionAttempts = 5;

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  private Duration retryBackoff = Duration.milliseconds(10);

  @NotNull
  @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration reconnectBudget = Duration.seconds(2);

  @NotNull
  @MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
  private DataSize maxRequestSize = DataSize.kibibytes(16);

  @JsonProperty
  public DatabaseFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DatabaseFactory database) {
    this.database = database;
  }

  @JsonProperty
  public ConsumerFactory getConsumer() {
    return consumer;
  }

  @JsonProperty
  public void setConsumer(ConsumerFactory consumer) {
    this.consumer = consumer;
  }

  @JsonProperty
  public boolean isMigrateOnStart() {
    return migrateOnStart;
  }

  @JsonProperty
  public void setMigrateOnStart(boolean migrateOnStart) {
    this.migrateOnStart = migrateOnStart;
  }

  @JsonProperty
  public String getTopicPrefix() {
    return topicPrefix;
  }

  @JsonProperty
  public void setTopicPrefix(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  @JsonProperty
  public int getMaxTransactionAttempts() {
    return maxTransactionAttempts;
  }

  @JsonProperty
  public void setMaxTransactionAttempts(int maxTransactionAttempts) {
    this.maxTransactionAttempts = maxTransactionAttempts;
  }

  @JsonProperty
  public Duration getRetryBackoff() {
    return retryBackoff;
  }

  @JsonProperty
  public void setRetryBackoff(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
  }

  @JsonProperty
  public Duration getReconnectBudget() {
    return reconnectBudget;
  }

  @JsonProperty
  public void setReconnectBudget(Duration reconnectBudget) {
    this.reconnectBudget = reconnectBudget;
  }

  @JsonProperty
  public DataSize getMaxRequestSize() {
    return maxRequestSize;
  }

  @JsonProperty
  public void setMaxRequestSize(DataSize maxRequestSize) {
    this.maxRequestSize = maxRequestSize;
  }
}
