package io.github.outboxrelay.sample.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.github.outboxrelay.sample.api.ErrorMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Errors Jetty answers itself, before or outside Jersey (a malformed header, a request line or
 * headers over the limit, a method the server does not allow), in the API's one error shape instead
 * of an HTML page. The message is the status's reason phrase: Jetty's own message may quote the bad
 * request, and a stack trace never leaves the server.
 */
public final class JsonErrorHandler extends ErrorHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * For the application's servlet context, and for the server itself: errors found while parsing a
   * request (request line, headers) never reach a context. Set before the connectors open.
   */
  public static void install(Environment environment) {
    JsonErrorHandler handler = new JsonErrorHandler();
    environment.getApplicationContext().setErrorHandler(handler);
    environment
        .lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                  server.setErrorHandler(handler);
                }
              }
            });
  }

  /** Jetty writes a body only for GET, POST and HEAD; a refused TRACE deserves one too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    String reason = HttpStatus.getMessage(code);
    byte[] body = JSON.writeValueAsBytes(new ErrorMessage(code, reason == null ? "error" : reason));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
