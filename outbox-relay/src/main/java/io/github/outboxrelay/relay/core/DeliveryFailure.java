package io.github.outboxrelay.relay.core;

/**
 * Why one row was not delivered. {@code permanent} failures (the event itself is unacceptable: too
 * large, illegal topic, not authorised) count toward parking; transient ones (broker away,
 * timeouts, leader changes) never do, so an outage of any length parks nothing.
 */
public record DeliveryFailure(long seq, boolean permanent, String error) {}
