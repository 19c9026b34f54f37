package io.github.outboxrelay.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcUrlsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://db:5432/shop | jdbc:postgresql://db:5432/shop",
        "jdbc:postgresql://db/shop?password=s3cret | jdbc:postgresql://db/shop?password=****",
        "jdbc:postgresql://db/shop?currentSchema=a&PassWord=s3&sslpassword=s4"
            + " | jdbc:postgresql://db/shop?currentSchema=****&PassWord=****&sslpassword=****",
        "jdbc:postgresql://db/shop?password=a=b&c | jdbc:postgresql://db/shop?password=****&****",
        "jdbc:postgresql://db/shop?s3cret | jdbc:postgresql://db/shop?****",
        "jdbc:postgresql://db/shop?password=x#frag | jdbc:postgresql://db/shop?password=****",
        "jdbc:postgresql://user:s3cret@db/shop | jdbc:postgresql://****@db/shop",
        "jdbc:postgresql://u:p@ss@db/shop?x=1 | jdbc:postgresql://****@db/shop?x=****",
      })
  void masksEveryQueryValueAndUserInfo(String url, String masked) {
    assertThat(JdbcUrls.masked(url)).isEqualTo(masked);
  }

  @Test
  void nullStaysNull() {
    assertThat(JdbcUrls.masked(null)).isNull();
  }

  @Test
  void anAcceptedUrlPasses() {
    String url = "jdbc:postgresql://db:5432/shop?password=a%26b&currentSchema=s";

    assertThat(JdbcUrls.requireAccepted("database.url", url)).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://db:5432/shop/extra?password=urlPw-5s",
        "jdbc:postgresql://db:notaport/shop?password=urlPw-5s",
        "jdbc:postgresql://db:5432?password=urlPw-5s",
        "jdbc:postgresql://db:5432/shop?password=urlPw-5s%zz",
        "jdbc:postgres://db:5432/shop?password=urlPw-5s"
      })
  void aRejectedUrlIsNamedMaskedAndTheDriverLogsNothing(String url) {
    List<LogRecord> logged = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger pgjdbc = Logger.getLogger("org.postgresql");
    pgjdbc.addHandler(handler);
    try {
      assertThatThrownBy(() -> JdbcUrls.requireAccepted("database.url", url))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("database.url is not a JDBC URL")
          .hasMessageContaining("password=****")
          .hasMessageNotContaining("urlPw-5s");
    } finally {
      pgjdbc.removeHandler(handler);
    }
    assertThat(logged).extracting(LogRecord::getMessage).isEmpty();
  }
}
