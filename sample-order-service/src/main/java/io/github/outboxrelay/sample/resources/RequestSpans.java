package io.github.outboxrelay.sample.resources;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Runs a request's work in a server span that continues the caller's W3C trace context (its {@code
 * traceparent} and {@code tracestate} headers). The outbox writer copies the current span's context
 * into the events the work writes, so the trace goes on through the relay to Kafka and the
 * consumers. A malformed {@code traceparent} starts a new trace, as the W3C spec asks. Under the
 * OpenTelemetry Java agent, whose own request span is current already, the work runs in that.
 */
public final class RequestSpans {

  /** Reads trace headers from a JAX-RS request. */
  private static final TextMapGetter<HttpHeaders> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
          return carrier.getRequestHeaders().keySet();
        }

        @Override
        public String get(HttpHeaders carrier, String key) {
          return carrier == null ? null : carrier.getHeaderString(key);
        }
      };

  /** Work that may throw a checked exception. */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T run() throws E;
  }

  private final Tracer tracer;

  public RequestSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Runs {@code work} in a span named {@code name} ("POST /orders"), a child of the caller's. */
  public <T, E extends Exception> T inSpan(String name, HttpHeaders headers, Work<T, E> work)
      throws E {
    if (Span.current().getSpanContext().isValid()) {
      return work.run();
    }
    Context caller =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
    Span span = tracer.spanBuilder(name).setParent(caller).setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return work.run();
    } catch (Exception | Error e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }
}
