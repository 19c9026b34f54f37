package io.github.outboxrelay.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded server a machine with only a JDK gets: a real PostgreSQL, gone when closed. */
class EmbeddedPostgresServerIT {

  @Test
  void startsTheCurrentMajorVersionAndStopsWhenClosed() throws Exception {
    PostgresServer server;
    try (EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start("a test", Map.of())) {
      server = embedded.server();
      assertThat(embedded.version()).as("pinned by the binaries' BOM").startsWith("18.");
      assertThat(server.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
      assertThat(server.toString()).contains("embedded PostgreSQL (a test)");
      try (Connection connection = server.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (id bigint PRIMARY KEY)");
        statement.execute("INSERT INTO t VALUES (1)");
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM t")) {
          rs.next();
          assertThat(rs.getLong(1)).isOne();
        }
      }
    }

    assertThatThrownBy(server::connect).isInstanceOf(SQLException.class);
  }

  @Test
  void aServerThatCannotStartSaysWhy() {
    assertThatThrownBy(
            () -> EmbeddedPostgresServer.start("a test", Map.of("max_connections", "-5")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "The embedded PostgreSQL server (binaries from Maven Central, io.zonky.test.postgres)"
                + " could not start: ");
  }
}
