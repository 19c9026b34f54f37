package io.github.outboxrelay.sample.errors;

import io.github.outboxrelay.sample.api.ErrorMessage;
import io.github.outboxrelay.sample.core.OrderException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** A business refusal becomes its status with a JSON message. */
public final class OrderExceptionMapper implements ExceptionMapper<OrderException> {

  @Override
  public Response toResponse(OrderException exception) {
    return Response.status(exception.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(exception.status(), exception.getMessage()))
        .build();
  }
}
