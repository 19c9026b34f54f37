package io.github.outboxrelay.dropwizard;

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
}
