package io.github.outboxrelay.sample.errors;

import io.github.outboxrelay.sample.api.ErrorMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over a limit with 413 before they are parsed. The limit applies to the
 * bytes the application would read: a chunked body has no length to check, and a gzip body (which
 * Jetty inflates) is larger than its declared length. So the body is read here, at most one byte
 * past the limit, and handed on from memory. Refusing while Jackson reads would not work: Jackson
 * wraps what the stream throws into a mapping error of whatever field it was reading.
 */
public final class BodySizeLimitFilter implements ContainerRequestFilter {

  private final int maxBytes;

  /** {@code maxBytes} is at most 1 MiB (the configuration says so), so holding it is cheap. */
  public BodySizeLimitFilter(long maxBytes) {
    this.maxBytes = Math.toIntExact(maxBytes);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > maxBytes) {
      throw tooLarge();
    }
    // Read even when Jersey would say there is no entity: asking it inflates, and may fail, too.
    byte[] body = readAtMostOnePast(request.getEntityStream());
    if (body.length > maxBytes) {
      throw tooLarge();
    }
    request.setEntityStream(new ByteArrayInputStream(body));
  }

  private byte[] readAtMostOnePast(InputStream in) {
    try {
      return in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw unreadable();
    } catch (RuntimeException e) {
      // Jersey's stream wrapper rethrows the inflater's ZipException unchecked.
      if (e.getCause() instanceof IOException) {
        throw unreadable();
      }
      throw e;
    }
  }

  private static WebApplicationException unreadable() {
    // A truncated or corrupt body, such as gzip data that does not inflate.
    return error(400, "request body could not be read");
  }

  private WebApplicationException tooLarge() {
    return error(413, "request body is larger than " + maxBytes + " bytes");
  }

  /**
   * Both answers close the connection: the rest of the body may be unread, so the connection cannot
   * carry another request, and a client that reused it (Java's HttpClient does) could send its next
   * request into a connection Jetty is closing and get no answer at all (seen in the relay's admin
   * API).
   */
  private static WebApplicationException error(int status, String message) {
    return new WebApplicationException(
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .header("Connection", "close")
            .entity(new ErrorMessage(status, message))
            .build());
  }
}
