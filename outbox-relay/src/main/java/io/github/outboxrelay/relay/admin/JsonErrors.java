package io.github.outboxrelay.relay.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin port's error answer outside Jersey (filters, task servlets), in the shape Dropwizard's
 * own JSON errors have: {@code {"code": 400, "message": "..."}}.
 */
public final class JsonErrors {

  private JsonErrors() {}

  public static void send(
      HttpServletResponse response, ObjectMapper json, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=UTF-8");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", status);
    body.put("message", message);
    response.getOutputStream().write(json.writeValueAsBytes(body));
  }
}
