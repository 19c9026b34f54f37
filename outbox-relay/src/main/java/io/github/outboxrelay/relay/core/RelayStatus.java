package io.github.outboxrelay.relay.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka and PostgreSQL answered the loop's last attempt. Logs once per change of state, not
 * once per failed attempt, so an outage of an hour is two log lines.
 */
public final class RelayStatus {

  private static final Logger LOG = LoggerFactory.getLogger(RelayStatus.class);

  private volatile boolean kafkaUp = true;
  private volatile boolean databaseUp = true;

  public void kafkaUp() {
    if (!kafkaUp) {
      kafkaUp = true;
      LOG.info("Kafka is reachable again; publishing resumes");
    }
  }

  public void kafkaDown(String reason) {
    if (kafkaUp) {
      kafkaUp = false;
      LOG.warn(
          "Kafka is unavailable ({}); batches roll back and the relay retries with backoff",
          reason);
    }
  }

  public void databaseUp() {
    if (!databaseUp) {
      databaseUp = true;
      LOG.info("PostgreSQL is reachable again; claiming resumes");
    }
  }

  public void databaseDown(String reason) {
    if (databaseUp) {
      databaseUp = false;
      LOG.warn("PostgreSQL is unavailable ({}); the relay retries with backoff", reason);
    }
  }

  public boolean isKafkaUp() {
    return kafkaUp;
  }

  public boolean isDatabaseUp() {
    return databaseUp;
  }
}
