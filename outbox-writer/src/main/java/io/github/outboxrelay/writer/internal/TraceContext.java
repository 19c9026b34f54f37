package io.github.outboxrelay.writer.internal;

import java.util.Map;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of the span active when an event
 * is written, added to its headers so that consumers continue the trace. Only when OpenTelemetry's
 * API is on the application's classpath (the writer's optional dependency) and a valid span is
 * current; an event that carries its own {@code traceparent} keeps it. Without OpenTelemetry the
 * writer never loads any of its classes.
 */
public final class TraceContext {

  /** The header names of W3C Trace Context. */
  public static final String TRACEPARENT = "traceparent";

  public static final String TRACESTATE = "tracestate";

  private static final boolean OPEN_TELEMETRY = isPresent("io.opentelemetry.api.trace.Span");

  private TraceContext() {}

  /** {@code headers}, with the current span's trace context when there is one to add. */
  public static Map<String, String> withCurrent(Map<String, String> headers) {
    if (!OPEN_TELEMETRY || headers.containsKey(TRACEPARENT)) {
      return headers;
    }
    return OpenTelemetryContext.inject(headers);
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, TraceContext.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }
}
