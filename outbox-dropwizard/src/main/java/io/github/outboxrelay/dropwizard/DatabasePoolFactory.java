package io.github.outboxrelay.dropwizard;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import jakarta.validation.constraints.NotBlank;
import java.util.Locale;

/**
 * The {@code database} section both services have: where PostgreSQL is ({@code url}, required), who
 * connects ({@code user}, required; {@code password}, empty by default, write-only) and the pool.
 * Each service extends it with its {@code maxPoolSize}, whose default and bounds are its own, and
 * with what else its pool needs ({@link #configure}).
 */
public abstract class DatabasePoolFactory {

  @NotBlank private String url;
  @NotBlank private String user;
  private String password = "";

  @JsonProperty
  public String getUrl() {
    return url;
  }

  @JsonProperty
  public void setUrl(String url) {
    this.url = url;
  }

  @JsonProperty
  public String getUser() {
    return user;
  }

  @JsonProperty
  public void setUser(String user) {
    this.user = user;
  }

  @JsonProperty
  public void setPassword(String password) {
    this.password = password;
  }

  /** The password, or null when there is none; never serialized, never printed. */
  protected final String password() {
    return password == null || password.isEmpty() ? null : password;
  }

  public abstract int getMaxPoolSize();

  /** What this service sets on its pool beyond the connection, the pool size and autocommit. */
  protected abstract void configure(HikariConfig config);

  /**
   * The pool, closed when the service stops (build it first, so it is closed last), and the {@code
   * database} health check on it. Its connections come with autocommit off.
   */
  public HikariDataSource build(Environment environment, String poolName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    // pgjdbc would log a URL it rejects whole, password included.
    config.setJdbcUrl(JdbcUrls.requireAccepted("database.url", url));
    config.setUsername(user);
    config.setPassword(password());
    config.setMaximumPoolSize(getMaxPoolSize());
    config.setAutoCommit(false);
    config.addDataSourceProperty("ApplicationName", poolName);
    configure(config);
    HikariDataSource dataSource = new HikariDataSource(config);
    environment.lifecycle().manage(new AutoCloseableManager(dataSource));
    environment.healthChecks().register("database", new DatabaseHealthCheck(dataSource));
    return dataSource;
  }

  /** For start-up summaries: no password, and no query value of the URL (it may hold one). */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "url=%s, user=%s, password=%s, maxPoolSize=%d",
        JdbcUrls.masked(url),
        user,
        password() == null ? "(none)" : "****",
        getMaxPoolSize());
  }
}
