package io.github.outboxrelay.relay.loop;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka and PostgreSQL answered the loop's last attempt, and whether the loop itself failed
 * unexpectedly. Logs once per change of state (or of reason), not once per failed attempt, so an
 * outage of an hour is two log lines; the {@code relay} health check reads the reasons.
 */
public final class RelayStatus {

  private static final Logger LOG = LoggerFactory.getLogger(RelayStatus.class);

  private volatile String kafkaProblem;
  private volatile String databaseProblem;
  private volatile String unexpectedProblem;
  private volatile String deadThread; // for good: the relay must be restarted

  public void kafkaUp() {
    if (kafkaProblem != null) {
      kafkaProblem = null;
      LOG.info("Kafka is reachable again; publishing resumes");
    }
  }

  public void kafkaDown(String reason) {
    if (kafkaProblem == null) {
      LOG.warn(
          "Kafka is unavailable ({}); batches roll back and the relay retries with backoff",
          reason);
    }
    kafkaProblem = reason;
  }

  /** A claim succeeded: the database answers and the loop runs. */
  public void databaseUp() {
    if (databaseProblem != null) {
      databaseProblem = null;
      LOG.info("PostgreSQL is reachable again; claiming resumes");
    }
    if (unexpectedProblem != null) {
      unexpectedProblem = null;
      LOG.info("The relay loop works again; claiming resumes");
    }
  }

  public void databaseDown(String reason) {
    if (databaseProblem == null) {
      LOG.warn("PostgreSQL is unavailable ({}); the relay retries with backoff", reason);
    }
    databaseProblem = reason;
  }

  /**
   * Something nobody expected failed in the loop. Logged with its stack trace when it first happens
   * (and when the reason changes), then only counted by the retries.
   */
  public void unexpectedFailure(Exception e) {
    String reason = e.getClass().getName() + ": " + e.getMessage();
    if (!reason.equals(unexpectedProblem)) {
      LOG.error("Unexpected failure in the relay loop; retrying with backoff", e);
    }
    unexpectedProblem = reason;
  }

  /** A thread the relay needs ended on an unexpected error; only a restart brings it back. */
  public void threadDied(String thread, Throwable error) {
    deadThread = "the " + thread + " thread stopped (" + error + "); restart the relay";
  }

  /** A failure only a restart mends (a thread that died), if any: it matters on a standby too. */
  public Optional<String> fatalProblem() {
    return Optional.ofNullable(deadThread);
  }

  /** Why this relay cannot claim and publish now, if it cannot. */
  public Optional<String> problem() {
    if (deadThread != null) {
      return Optional.of(deadThread);
    }
    if (databaseProblem != null) {
      return Optional.of("claiming fails: " + databaseProblem);
    }
    if (unexpectedProblem != null) {
      return Optional.of("the relay loop fails: " + unexpectedProblem);
    }
    if (kafkaProblem != null) {
      return Optional.of("publishing fails: " + kafkaProblem);
    }
    return Optional.empty();
  }
}
