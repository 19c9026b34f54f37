package io.github.outboxrelay.sample.errors;

import io.github.outboxrelay.sample.api.ErrorMessage;
import io.github.outboxrelay.sample.core.DatabaseUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.time.Duration;

/**
 * The database stayed away for as long as the service retries: 503 with {@code Retry-After}, so
 * that clients try again instead of counting the request as failed for good. The message is the
 * exception's own, which says whether the request may have taken effect; the cause, which may name
 * the database's address, stays in the log.
 */
public final class DatabaseUnavailableMapper
    implements ExceptionMapper<DatabaseUnavailableException> {

  private final String retryAfterSeconds;

  /** {@code retryAfter}: when a client may try again, rounded up to whole seconds (at least 1). */
  public DatabaseUnavailableMapper(Duration retryAfter) {
    long seconds = (retryAfter.toMillis() + 999) / 1000;
    this.retryAfterSeconds = Long.toString(Math.max(1, seconds));
  }

  @Override
  public Response toResponse(DatabaseUnavailableException exception) {
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(503, exception.getMessage()))
        .build();
  }
}
