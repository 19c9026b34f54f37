package io.github.outboxrelay.faults;

/** The faults the suite injects; {@link #label} is how the summary and the JSON name them. */
enum FaultKind {
  /** SIGKILL of the relay holding the lease, restarted after a short delay. */
  KILL_ACTIVE_RELAY("kill-active-relay"),
  /**
   * SIGKILL of the broker, then of the active relay while the broker is down: the standby takes
   * over without topic metadata (the scenario that reordered first deliveries in issue 10).
   */
  KILL_ACTIVE_RELAY_BROKER_DOWN("kill-active-relay-broker-down"),
  /** SIGTERM of the active relay while it publishes, restarted after a short delay. */
  TERM_ACTIVE_RELAY("sigterm-active-relay"),
  /** SIGKILL of the Kafka broker, restarted after a few seconds. */
  KILL_BROKER("kill-broker"),
  /** FAULTS_POSTGRES_RESTART: PostgreSQL restarted in fast mode. */
  RESTART_POSTGRES("restart-postgres"),
  /** An event for a topic that does not exist (auto-creation is off): it must be parked. */
  POISON_EVENT("poison-event"),
  /** The active relay's connections to PostgreSQL stop carrying bytes for a few seconds. */
  STALL_RELAY_DATABASE("stall-relay-postgres"),
  /**
   * SIGKILL of the order service, and so of its shipping consumer mid-batch, then a restart: a
   * consumer that committed its offsets before its transaction loses the batch it was applying.
   */
  KILL_ORDER_SERVICE("kill-order-service"),
  /**
   * The order service's PostgreSQL refuses it for longer than it retries a transaction, while the
   * relays keep publishing what was committed: its consumer must apply those events later, not skip
   * them.
   */
  CUT_ORDER_SERVICE_DATABASE("cut-order-service-postgres");

  final String label;

  FaultKind(String label) {
    this.label = label;
  }

  /**
   * Whether this fault can make a relay send a record twice; the order service's faults cannot (it
   * does not publish), so duplicates are never blamed on them.
   */
  boolean touchesPublishing() {
    return this != KILL_ORDER_SERVICE && this != CUT_ORDER_SERVICE_DATABASE;
  }

  /** Whether this fault SIGKILLs the active relay (the failover times are measured from it). */
  boolean killsActiveRelay() {
    return this == KILL_ACTIVE_RELAY || this == KILL_ACTIVE_RELAY_BROKER_DOWN;
  }
}
