package io.github.outboxrelay.relay.admin;

import jakarta.servlet.http.HttpServletRequest;

/** Who made an admin request, as recorded with what it changed. */
final class Operators {

  private Operators() {}

  /** The authenticated user if any, else where the request came from. */
  static String name(HttpServletRequest request) {
    if (request == null) {
      return "unknown";
    }
    if (request.getUserPrincipal() != null) {
      return request.getUserPrincipal().getName();
    }
    return "admin API from " + request.getRemoteAddr();
  }

  /** A value echoed in an error, cut short so that a long one cannot flood the answer or logs. */
  static String shorten(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "…";
  }
}
