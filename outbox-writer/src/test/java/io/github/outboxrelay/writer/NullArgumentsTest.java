package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public entry point refuses a null argument the same way: an {@link
 * IllegalArgumentException} naming it, never a {@link NullPointerException}. A null event on a live
 * connection is covered by {@code OutboxWriterIT}; the connection is checked first, so these need
 * none.
 */
class NullArgumentsTest {

  private static final OutboxWriter WRITER = OutboxWriter.builder().build();
  private static final String V1 = OutboxSchema.MIGRATIONS.get(0);

  static Stream<Arguments> entryPoints() {
    OutboxEvent event = OutboxEventTest.valid().build();
    return Stream.of(
        call("write(null, event)", () -> WRITER.write(null, event), "connection must not be null"),
        call(
            "writeAndCommit(null, event)",
            () -> WRITER.writeAndCommit(null, event),
            "connection must not be null"),
        call(
            "writeAll(null, events)",
            () -> WRITER.writeAll(null, List.of(event)),
            "connection must not be null"),
        call(
            "OutboxWriter.Builder.table(null)",
            () -> OutboxWriter.builder().table(null).build(),
            "table must not be null or blank"),
        call(
            "OutboxWriter.Builder.topicRouter(null)",
            () -> OutboxWriter.builder().topicRouter(null).build(),
            "topicRouter must not be null"),
        call("TopicRouter.prefix(null)", () -> TopicRouter.prefix(null), "prefix must not be null"),
        call(
            "OutboxEvent.Builder.aggregateType(null)",
            () -> OutboxEventTest.valid().aggregateType(null).build(),
            "aggregateType must not be null"),
        call(
            "OutboxEvent.Builder.aggregateId(null)",
            () -> OutboxEventTest.valid().aggregateId(null).build(),
            "aggregateId must not be null"),
        call(
            "OutboxEvent.Builder.eventType(null)",
            () -> OutboxEventTest.valid().eventType(null).build(),
            "eventType must not be null"),
        call(
            "OutboxEvent.Builder.payload(null)",
            () -> OutboxEventTest.valid().payload(null).build(),
            "payload must not be null"),
        call(
            "OutboxEvent.Builder.jsonPayload(null)",
            () -> OutboxEventTest.valid().jsonPayload(null).build(),
            "payload must not be null"),
        call(
            "OutboxEvent.Builder.header(null, value)",
            () -> OutboxEventTest.valid().header(null, "v").build(),
            "header name must not be null"),
        call(
            "OutboxEvent.Builder.header(name, null)",
            () -> OutboxEventTest.valid().header("trace", null).build(),
            "header 'trace' must not have a null value"),
        call(
            "OutboxEvent.Builder.headers(null)",
            () -> OutboxEventTest.valid().headers(null),
            "headers must not be null"),
        call(
            "new OutboxEvent(null id, ...)",
            () -> new OutboxEvent(null, "order", "42", "OrderPlaced", null, new byte[0], Map.of()),
            "id must not be null"),
        call(
            "new OutboxEvent(..., null payload, ...)",
            () ->
                new OutboxEvent(
                    UUID.randomUUID(), "order", "42", "OrderPlaced", null, null, Map.of()),
            "payload must not be null"),
        call(
            "OutboxSchema.placeholders(null)",
            () -> OutboxSchema.placeholders(null),
            "table must not be null or blank"),
        call(
            "OutboxSchema.placeholders(table, null)",
            () -> OutboxSchema.placeholders("outbox", null),
            "notifyChannel must not be null or blank"),
        call(
            "OutboxSchema.render(null, placeholders)",
            () -> OutboxSchema.render(null, OutboxSchema.placeholders("outbox")),
            "migration must not be null"),
        call(
            "OutboxSchema.render(migration, null)",
            () -> OutboxSchema.render(V1, null),
            "placeholders must not be null"));
  }

  private static Arguments call(String name, ThrowingCallable call, String message) {
    return arguments(name, call, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entryPoints")
  void nullIsRefusedWithAnIllegalArgumentExceptionNamingIt(
      String name, ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
