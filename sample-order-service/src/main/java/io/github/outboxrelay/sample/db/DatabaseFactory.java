package io.github.outboxrelay.sample.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.dropwizard.JdbcUrls;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The shop's database. Keys (defaults): {@code url} (required), {@code user} (required), {@code
 * password} (empty; from the environment), {@code maxPoolSize} (10).
 */
public class DatabaseFactory {

  @NotBlank private String url;
  @NotBlank private String user;
  private String password = "";

  @Min(1)
  @Max(200)
  private int maxPoolSize = 10;

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

  @JsonProperty
  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  @JsonProperty
  public void setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = maxPoolSize;
  }

  public HikariDataSource build(String poolName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    // pgjdbc would log a URL it rejects whole, password included.
    config.setJdbcUrl(JdbcUrls.requireAccepted("database.url", url));
    config.setUsername(user);
    config.setPassword(password == null || password.isEmpty() ? null : password);
    config.setMaximumPoolSize(maxPoolSize);
    // Set once per pooled connection, not per transaction: each setTransactionIsolation() call is
    // a round trip of its own in pgjdbc, a quarter of an order transaction's statements.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setAutoCommit(false);
    config.addDataSourceProperty("ApplicationName", poolName);
    return new HikariDataSource(config);
  }
}
