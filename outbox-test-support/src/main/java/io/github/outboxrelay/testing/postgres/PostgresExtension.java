package io.github.outboxrelay.testing.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own fresh schema on the shared test server ({@link TestPostgres}), so
 * tests cannot see each other's rows and run in any order. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
 * }</pre>
 *
 * <p>The schema is created before the first test and dropped after the last one. Connections from
 * {@link #dataSource()} have the schema as their only {@code search_path} entry, so unqualified
 * table names resolve inside it.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

  private static final int POOL_SIZE = 16;

  /** Prepares a fresh schema, e.g. runs migrations, before any test or other extension uses it. */
  @FunctionalInterface
  public interface SchemaSetup {
    void setUp(PostgresExtension postgres) throws Exception;
  }

  private final SchemaSetup setup;
  private Class<?> owner;
  private String schema;
  private HikariDataSource dataSource;

  /** A fresh, empty schema. */
  public PostgresExtension() {
    this(postgres -> {});
  }

  /**
   * A fresh schema prepared by {@code setup} while the extension starts, so that extensions
   * registered after this one (an application under test, say) find it ready.
   */
  public PostgresExtension(SchemaSetup setup) {
    this.setup = setup;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      return; // a @Nested class inherits the extension: it shares the enclosing class's schema
    }
    owner = context.getRequiredTestClass();
    PostgresServer server = TestPostgres.server();
    schema = schemaNameFor(owner);
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.jdbcUrl());
    config.setUsername(server.user());
    config.setPassword(server.password());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setPoolName("test-" + schema);
    config.addDataSourceProperty("currentSchema", schema);
    dataSource = new HikariDataSource(config);
    setup.setUp(this);
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (context.getRequiredTestClass() != owner) {
      return;
    }
    owner = null;
    if (dataSource != null) {
      dataSource.close();
    }
    if (schema != null) {
      try (Connection connection = TestPostgres.server().connect();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  /** A pooled data source whose connections work inside this class's schema. */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * A JDBC URL whose connections work inside this class's schema, for an application under test.
   */
  public String jdbcUrl() {
    String base = TestPostgres.server().jdbcUrl();
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** This class's schema, e.g. {@code t_outboxwriterit_1a2b3c4d}. */
  public String schema() {
    return schema;
  }

  /** The server this extension's schema lives on. */
  public PostgresServer server() {
    return TestPostgres.server();
  }

  /** A Flyway configuration that migrates this class's schema; add locations and placeholders. */
  public FluentConfiguration flyway() {
    return Flyway.configure().dataSource(dataSource).schemas(schema);
  }

  /** Runs statements in autocommit mode, e.g. to create a test table. */
  public void execute(String... sqlStatements) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : sqlStatements) {
        statement.execute(sql);
      }
    }
  }

  /** The single {@code long} a query returns, e.g. a {@code count(*)}. */
  public long queryForLong(String sql, Object... parameters) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet resultSet = statement.executeQuery()) {
        if (!resultSet.next()) {
          throw new IllegalStateException("Query returned no row: " + sql);
        }
        return resultSet.getLong(1);
      }
    }
  }

  static String schemaNameFor(Class<?> testClass) {
    String base = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    return "t_" + base + "_" + suffix;
  }
}
