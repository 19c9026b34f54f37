package io.github.outboxrelay.sample.errors;

import io.github.outboxrelay.sample.api.ErrorMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over a limit with 413 before they are parsed: by the declared length when
 * there is one, and by counting bytes for chunked bodies.
 */
public final class BodySizeLimitFilter implements ContainerRequestFilter {

  private final long maxBytes;

  public BodySizeLimitFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > maxBytes) {
      throw tooLarge();
    }
    if (request.hasEntity()) {
      request.setEntityStream(new LimitedStream(request.getEntityStream()));
    }
  }

  private WebApplicationException tooLarge() {
    return new WebApplicationException(
        Response.status(413)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorMessage(413, "request body is larger than " + maxBytes + " bytes"))
            .build());
  }

  private final class LimitedStream extends FilterInputStream {
    private long read;

    LimitedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > maxBytes) {
        throw tooLarge();
      }
    }
  }
}
