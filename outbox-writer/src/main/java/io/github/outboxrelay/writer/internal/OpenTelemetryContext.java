package io.github.outboxrelay.writer.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of {@link TraceContext} that names OpenTelemetry's types, loaded only when they are on
 * the classpath.
 */
final class OpenTelemetryContext {

  private OpenTelemetryContext() {}

  static Map<String, String> inject(Map<String, String> headers) {
    Context current = Context.current();
    if (!Span.fromContext(current).getSpanContext().isValid()) {
      return headers;
    }
    Map<String, String> traced = new LinkedHashMap<>(headers);
    W3CTraceContextPropagator.getInstance().inject(current, traced, Map::put);
    return traced;
  }
}
