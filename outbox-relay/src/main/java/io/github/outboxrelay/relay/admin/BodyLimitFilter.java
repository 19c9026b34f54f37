package io.github.outboxrelay.relay.admin;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies above {@link #MAX_BYTES} with 413, whether they declare their length or
 * not: the admin API's bodies are a few fields, so nothing larger is read into memory.
 */
public final class BodyLimitFilter implements ContainerRequestFilter {

  static final int MAX_BYTES = 4096;

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > MAX_BYTES) {
      throw tooLarge();
    }
    request.setEntityStream(new Bounded(request.getEntityStream()));
  }

  /**
   * The answer closes the connection: the rest of the body was never read, so the connection cannot
   * carry another request. Without saying so, a client that reused it (Java's HttpClient, in
   * AdminApiIT) sometimes sent its next request into a connection Jetty was closing, and got no
   * answer at all.
   */
  private static ClientErrorException tooLarge() {
    return new ClientErrorException(
        "the request body may have at most " + MAX_BYTES + " bytes",
        Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
            .header("Connection", "close")
            .build());
  }

  /** Fails the read that would pass the limit. */
  private static final class Bounded extends FilterInputStream {
    private long read;

    Bounded(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > MAX_BYTES) {
        throw tooLarge();
      }
    }
  }
}
