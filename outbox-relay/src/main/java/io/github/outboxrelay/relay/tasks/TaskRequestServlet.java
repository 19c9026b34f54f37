package io.github.outboxrelay.relay.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.servlets.tasks.Task;
import io.github.outboxrelay.relay.admin.JsonErrors;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one admin task at {@code POST /tasks/<name>} with answers a script can rely on: the task's
 * output with 200, a request the task refuses (a malformed or missing parameter) with 400 and a
 * JSON error saying what is wrong, and anything unexpected with 500 and a JSON error that points to
 * the log, never a stack trace. Dropwizard's own task servlet answers every refusal with 500.
 * Mapped at the task's exact path, which takes precedence over Dropwizard's {@code /tasks/*}.
 */
public final class TaskRequestServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TaskRequestServlet.class);

  private final transient Task task;
  private final transient ObjectMapper json;

  public TaskRequestServlet(Task task, ObjectMapper json) {
    this.task = task;
    this.json = json;
  }

  /** The path the servlet is mapped at. */
  public String path() {
    return "/tasks/" + task.getName();
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    request
        .getParameterMap()
        .forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
    StringWriter output = new StringWriter();
    try (PrintWriter writer = new PrintWriter(output)) {
      task.execute(parameters, writer);
    } catch (IllegalArgumentException refused) {
      error(response, HttpServletResponse.SC_BAD_REQUEST, refused.getMessage());
      return;
    } catch (Exception e) {
      String incident = UUID.randomUUID().toString();
      LOG.error("Admin task {} failed (incident {})", task.getName(), incident, e);
      error(
          response,
          HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
          "the task failed; see the relay's log for incident " + incident);
      return;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(task.getResponseContentType().orElse("text/plain;charset=UTF-8"));
    response.getOutputStream().write(output.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Allow", "POST");
    error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "use POST");
  }

  private void error(HttpServletResponse response, int status, String message) throws IOException {
    JsonErrors.send(response, json, status, message);
  }
}
