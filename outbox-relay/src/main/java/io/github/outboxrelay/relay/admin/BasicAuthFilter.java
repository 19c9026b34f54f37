package io.github.outboxrelay.relay.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.Set;

/**
 * HTTP basic authentication for the whole admin port: Dropwizard's own servlets and tasks, the API
 * and the status page. A request without valid credentials gets 401 and reaches nothing, except
 * reads of the paths left open on purpose (health checks for probes). User and password are
 * compared in constant time, over digests, so that neither their content nor their length shows in
 * the time an answer takes.
 */
public final class BasicAuthFilter implements Filter {

  private static final Set<String> READS = Set.of("GET", "HEAD");

  private final byte[] userDigest;
  private final byte[] passwordDigest;
  private final String user;
  private final Set<String> openPaths;
  private final ObjectMapper json;

  public BasicAuthFilter(String user, String password, Set<String> openPaths, ObjectMapper json) {
    this.user = user;
    this.userDigest = digest(user);
    this.passwordDigest = digest(password);
    this.openPaths = Set.copyOf(openPaths);
    this.json = json;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (READS.contains(request.getMethod()) && openPaths.contains(pathOf(request))) {
      chain.doFilter(req, res);
      return;
    }
    if (authenticated(request.getHeader("Authorization"))) {
      chain.doFilter(new Authenticated(request, user), res);
      return;
    }
    HttpServletResponse response = (HttpServletResponse) res;
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Basic realm=\"outbox-relay\", charset=\"UTF-8\"");
    JsonErrors.send(
        response,
        json,
        HttpServletResponse.SC_UNAUTHORIZED,
        "credentials required: HTTP basic, the user and password of admin.user and"
            + " admin.password");
  }

  /** Whether {@code authorization} is {@code Basic} with this user and password. */
  boolean authenticated(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    // Both compared whatever the first gives, so the time does not say which one was wrong.
    boolean userMatches = MessageDigest.isEqual(userDigest, digest(decoded.substring(0, colon)));
    boolean passwordMatches =
        MessageDigest.isEqual(passwordDigest, digest(decoded.substring(colon + 1)));
    return userMatches & passwordMatches;
  }

  private static String pathOf(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.isEmpty() ? "/" : path;
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The request as the authenticated user's, so that what it changes records who. */
  private static final class Authenticated extends HttpServletRequestWrapper {
    private final Principal principal;

    Authenticated(HttpServletRequest request, String user) {
      super(request);
      this.principal = () -> user;
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public String getRemoteUser() {
      return principal.getName();
    }

    @Override
    public String getAuthType() {
      return HttpServletRequest.BASIC_AUTH;
    }
  }
}
