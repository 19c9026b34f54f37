package io.github.outboxrelay.sample.errors;

import io.dropwizard.jersey.validation.ConstraintMessage;
import io.dropwizard.jersey.validation.JerseyViolationException;
import io.github.outboxrelay.sample.api.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/**
 * Bean Validation failures in the API's one error shape, {@code {"code", "message", "details"}},
 * rather than Dropwizard's {@code {"errors": [...]}}: the message lists every violation (sorted, so
 * it is stable), each as Dropwizard words it ("quantity must not be null").
 */
public final class ValidationErrorMapper implements ExceptionMapper<JerseyViolationException> {

  @Override
  public Response toResponse(JerseyViolationException exception) {
    List<String> violations =
        exception.getConstraintViolations().stream()
            .map(violation -> ConstraintMessage.getMessage(violation, exception.getInvocable()))
            .sorted()
            .toList();
    int status =
        ConstraintMessage.determineStatus(
            exception.getConstraintViolations(), exception.getInvocable());
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(status, String.join("; ", violations), violations))
        .build();
  }
}
