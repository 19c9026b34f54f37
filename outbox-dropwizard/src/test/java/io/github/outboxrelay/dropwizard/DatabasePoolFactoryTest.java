package io.github.outboxrelay.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

class DatabasePoolFactoryTest {

  /** The least a service adds: its pool size. */
  private static final class Database extends DatabasePoolFactory {
    @Override
    public int getMaxPoolSize() {
      return 7;
    }

    @Override
    protected void configure(HikariConfig config) {}
  }

  @Test
  void printsNeitherThePasswordNorTheUrlsQueryValues() {
    Database database = new Database();
    database.setUrl("jdbc:postgresql://db:5432/shop?password=s3cret");
    database.setUser("shop");
    database.setPassword("hunter2");

    assertThat(database.toString())
        .isEqualTo(
            "url=jdbc:postgresql://db:5432/shop?password=****, user=shop, password=****,"
                + " maxPoolSize=7")
        .doesNotContain("s3cret", "hunter2");
  }

  @Test
  void saysWhenThereIsNoPassword() {
    Database database = new Database();
    database.setUrl("jdbc:postgresql://db:5432/shop");
    database.setUser("shop");

    assertThat(database.toString()).contains("password=(none)");
  }
}
