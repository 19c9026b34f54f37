package io.github.outboxrelay.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
