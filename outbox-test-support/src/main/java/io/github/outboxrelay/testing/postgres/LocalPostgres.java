package io.github.outboxrelay.testing.postgres;

import java.util.function.UnaryOperator;

/**
 * Where a local PostgreSQL server is looked for before an embedded one is started: {@code
 * 127.0.0.1:5432}, or the {@code host:port} in {@value #VARIABLE}. Pointing it at a closed port
 * hides the local server, as on a machine with only a JDK (CI does so to prove that path).
 */
public final class LocalPostgres {

  public static final String VARIABLE = "OUTBOX_LOCAL_POSTGRES";
  static final String DEFAULT_ADDRESS = "127.0.0.1:5432";

  private LocalPostgres() {}

  /** The JDBC URL of {@code database} on the local server. */
  public static String jdbcUrl(UnaryOperator<String> env, String database) {
    String address = env.apply(VARIABLE);
    if (address == null || address.isBlank()) {
      address = DEFAULT_ADDRESS;
    } else if (!address.matches("[A-Za-z0-9.\\-]+:[0-9]{1,5}")) {
      throw new IllegalArgumentException(
          VARIABLE + " must be host:port, such as 127.0.0.1:5432, not '" + address + "'");
    }
    return "jdbc:postgresql://" + address.strip() + "/" + database;
  }
}
