package io.github.outboxrelay.relay.core;

/**
 * A claimed row that is held, not sent: behind the parked event {@code heldBy} of its key, or, with
 * {@code heldBy} {@link Holds#PAUSED_TOPIC}, until its {@code topic} resumes.
 */
public record HeldRow(long seq, long heldBy, String topic) {}
