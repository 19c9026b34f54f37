package io.github.outboxrelay.relay.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses, on the whole admin port, any request that could change state and comes from a page of
 * another origin: a browser sends {@code Origin} with every such request, and a form on another
 * site needs no CORS preflight, so without this check a page in the operator's browser could
 * requeue events or run tasks. Requests without {@code Origin} (curl, scripts, monitoring) pass; so
 * do reads.
 */
public final class SameOriginFilter implements Filter {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final ObjectMapper json;

  public SameOriginFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    String origin = request.getHeader("Origin");
    if (READS.contains(request.getMethod()) || origin == null || sameOrigin(origin, request)) {
      chain.doFilter(req, res);
      return;
    }
    JsonErrors.send(
        (HttpServletResponse) res,
        json,
        HttpServletResponse.SC_FORBIDDEN,
        "requests from another origin ("
            + Operators.shorten(origin)
            + ") may not change anything here");
  }

  /** Whether {@code origin} is this server's own scheme, host and port. */
  static boolean sameOrigin(String origin, HttpServletRequest request) {
    try {
      URI uri = URI.create(origin);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return false; // "null" (a sandboxed page, a file) and anything unparsable
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
      return uri.getScheme().toLowerCase(Locale.ROOT).equals(request.getScheme())
          && uri.getHost().equalsIgnoreCase(request.getServerName())
          && port == request.getServerPort();
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }
}
