package io.github.outboxrelay.sample.errors;

import io.github.outboxrelay.sample.api.ErrorMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Jersey's own refusals (no such resource 404, wrong method 405, unacceptable type 406, unsupported
 * media type 415) in the API's one error shape. Dropwizard's mapper answers them without {@code
 * details}. The status's reason phrase is the message: it never echoes the request.
 */
public final class WebErrorMapper implements ExceptionMapper<WebApplicationException> {

  @Override
  public Response toResponse(WebApplicationException exception) {
    Response original = exception.getResponse();
    if (original.hasEntity()) {
      return original; // already says what is wrong, such as the body size limit's 413
    }
    int status = original.getStatus();
    return Response.fromResponse(original)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(status, original.getStatusInfo().getReasonPhrase()))
        .build();
  }
}
