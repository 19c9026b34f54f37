package io.github.outboxrelay.relay;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.validation.ValidationMethod;
import io.github.outboxrelay.writer.internal.SqlIdentifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The relay's YAML: {@code database} ({@link DatabaseFactory}), {@code kafka} ({@link
 * KafkaFactory}), {@code outbox} ({@link RelayFactory}), {@code admin} ({@link AdminFactory}), plus
 * Dropwizard's {@code server}, {@code logging} and {@code metrics}. {@code ${VAR}} and {@code
 * ${VAR:-default}} are replaced from the environment; an unset variable without a default fails
 * start-up.
 */
public class RelayConfiguration extends Configuration {

  @Valid @NotNull private DatabaseFactory database;
  @Valid @NotNull private KafkaFactory kafka;
  @Valid @NotNull private RelayFactory outbox = new RelayFactory();
  @Valid @NotNull private AdminFactory admin = new AdminFactory();

  @JsonProperty
  public AdminFactory getAdmin() {
    return admin;
  }

  @JsonProperty
  public void setAdmin(AdminFactory admin) {
    this.admin = admin;
  }

  @JsonProperty
  public DatabaseFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DatabaseFactory database) {
    this.database = database;
  }

  @JsonProperty
  public KafkaFactory getKafka() {
    return kafka;
  }

  @JsonProperty
  public void setKafka(KafkaFactory kafka) {
    this.kafka = kafka;
  }

  @JsonProperty
  public RelayFactory getOutbox() {
    return outbox;
  }

  @JsonProperty
  public void setOutbox(RelayFactory outbox) {
    this.outbox = outbox;
  }

  @JsonIgnore
  @ValidationMethod(
      message =
          "database.maxPoolSize must be at least outbox.inFlightBatches + 1: every batch in flight"
              + " holds a connection, and health checks and gauges need one more")
  public boolean isPoolLargeEnough() {
    return database == null
        || outbox == null
        || database.getMaxPoolSize() >= outbox.getInFlightBatches() + 1;
  }

  @JsonIgnore
  @ValidationMethod(
      message =
          "outbox.table must be 'table' or 'schema.table' of plain SQL identifiers (letters,"
              + " digits, '_'; not a reserved word)")
  public boolean isOutboxTableValid() {
    if (outbox == null || outbox.getTable() == null) {
      return true; // reported by @NotNull / @NotBlank
    }
    try {
      SqlIdentifiers.requireQualifiedTable(outbox.getTable(), "outbox.table");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
