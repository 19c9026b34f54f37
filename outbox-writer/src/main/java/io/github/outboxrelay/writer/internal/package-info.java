/**
 * Not API: what the writer's own rules and the relay share (table-name and reserved-header checks)
 * and must therefore be public. Anything here may change or disappear in any release without
 * notice; applications should use only the types in {@link io.github.outboxrelay.writer}.
 */
package io.github.outboxrelay.writer.internal;
