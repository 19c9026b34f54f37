package io.github.outboxrelay.relay.core;

/** A claimed row that waits behind the parked event {@code parkedSeq} of its key, not sent. */
public record HeldRow(long seq, long parkedSeq) {}
