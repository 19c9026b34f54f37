/**
 * The outbox writer's API: {@link io.github.outboxrelay.writer.OutboxWriter} and its builder,
 * {@link io.github.outboxrelay.writer.OutboxEvent} and its builder, {@link
 * io.github.outboxrelay.writer.TopicRouter}, {@link io.github.outboxrelay.writer.OutboxSchema} and
 * {@link io.github.outboxrelay.writer.OutboxHeaders}.
 *
 * <p>Exceptions are part of the API. Misuse is unchecked: an {@link IllegalArgumentException} for a
 * bad or null argument or property, with a message that names it and the rule broken (such as
 * {@code connection must not be null}); an {@link IllegalStateException} for a connection in
 * autocommit mode. No method throws {@link NullPointerException} for a null argument; where null is
 * allowed, the method says so. Database failures are the driver's {@link java.sql.SQLException},
 * untouched.
 *
 * <p>The {@code internal} subpackage is not API.
 */
package io.github.outboxrelay.writer;
