package io.github.outboxrelay.dropwizard;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.Driver;

/**
 * JDBC URLs as the services print them: a URL may carry a password ({@code ?password=…}, {@code
 * sslpassword=…}, a key in {@code sslkey=…}, user info before {@code @}), so every query value and
 * any user info is masked, whatever its parameter is called.
 */
public final class JdbcUrls {

  static final String MASK = "****";

  private JdbcUrls() {}

  /**
   * {@code jdbc:postgresql://db:5432/shop?password=x&currentSchema=s} gives {@code
   * jdbc:postgresql://db:5432/shop?password=****&currentSchema=****}; null gives null.
   */
  public static String masked(String url) {
    if (url == null) {
      return null;
    }
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    int authority = base.indexOf("//");
    int at = base.lastIndexOf('@');
    if (authority >= 0 && at > authority) {
      base = base.substring(0, authority + 2) + MASK + base.substring(at);
    }
    if (query < 0) {
      return base;
    }
    StringBuilder masked = new StringBuilder(base).append('?');
    String[] parameters = url.substring(query + 1).split("&", -1);
    for (int i = 0; i < parameters.length; i++) {
      int equals = parameters[i].indexOf('=');
      // A parameter without '=' is kept out too: it may be a value that lost its name.
      masked
          .append(i > 0 ? "&" : "")
          .append(equals < 0 ? "" : parameters[i].substring(0, equals + 1));
      masked.append(MASK);
    }
    return masked.toString();
  }

  /**
   * {@code url} if PostgreSQL's driver accepts it. pgjdbc logs a URL it rejects (a stray {@code /},
   * a bad {@code %} escape in a password) whole, at WARN, before the pool reports it; so the pool
   * must only ever see accepted URLs.
   *
   * @throws IllegalArgumentException naming {@code key} and the URL {@linkplain #masked masked}
   */
  public static String requireAccepted(String key, String url) {
    // The driver's own loggers (JUL), silenced while it parses: the driver's and its parent's,
    // which the other parsing classes log through.
    List<Logger> driverLogs =
        List.of(Logger.getLogger(Driver.class.getName()), Logger.getLogger("org.postgresql"));
    List<Level> levels = driverLogs.stream().map(Logger::getLevel).toList();
    driverLogs.forEach(log -> log.setLevel(Level.OFF));
    try {
      if (url != null && Driver.parseURL(url, null) != null) {
        return url;
      }
    } finally {
      for (int i = 0; i < driverLogs.size(); i++) {
        driverLogs.get(i).setLevel(levels.get(i));
      }
    }
    throw new IllegalArgumentException(
        key
            + " is not a JDBC URL PostgreSQL's driver accepts: "
            + masked(url)
            + " (expected jdbc:postgresql://host:port/database?parameter=value&…, values"
            + " URL-encoded)");
  }
}
