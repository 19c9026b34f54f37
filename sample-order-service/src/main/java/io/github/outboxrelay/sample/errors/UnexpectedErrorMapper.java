package io.github.outboxrelay.sample.errors;

import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import io.github.outboxrelay.sample.api.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * What nobody expected (a database failure, a bug): Dropwizard's logging and its "It has been
 * logged (ID …)" message, in the API's one error shape rather than Dropwizard's, which has no
 * {@code details}. Replaces Dropwizard's default mappers (see {@code OrderServiceApplication}).
 */
public final class UnexpectedErrorMapper extends LoggingExceptionMapper<Throwable> {

  @Override
  public Response toResponse(Throwable exception) {
    Response response = super.toResponse(exception);
    if (response.getEntity() instanceof io.dropwizard.jersey.errors.ErrorMessage logged) {
      return Response.fromResponse(response)
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ErrorMessage(logged.getCode(), logged.getMessage()))
          .build();
    }
    return response;
  }
}
