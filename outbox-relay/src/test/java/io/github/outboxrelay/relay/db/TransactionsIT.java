package io.github.outboxrelay.relay.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.outboxrelay.testing.postgres.PostgresExtension;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The relay's one transaction helper commits what returns and rolls back what throws. */
class TransactionsIT {

  @RegisterExtension
  static final PostgresExtension postgres =
      new PostgresExtension(pg -> pg.execute("CREATE TABLE notes (text TEXT)"));

  private HikariDataSource dataSource;

  @BeforeEach
  void pool() throws SQLException {
    postgres.execute("TRUNCATE notes");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl());
    config.setUsername(postgres.server().user());
    config.setPassword(postgres.server().password());
    config.setAutoCommit(false); // as the relay's pool
    config.setMaximumPoolSize(1); // a connection not given back would block the next call
    dataSource = new HikariDataSource(config);
  }

  @AfterEach
  void close() {
    dataSource.close();
  }

  @Test
  void workThatReturnsIsCommittedAndItsResultReturned() throws SQLException {
    int inserted = Transactions.inTransaction(dataSource, connection -> insert(connection, "kept"));

    assertThat(inserted).isEqualTo(1);
    assertThat(postgres.queryForLong("SELECT count(*) FROM notes WHERE text = 'kept'")).isOne();
  }

  @Test
  void workThatThrowsIsRolledBackAndTheConnectionGivenBack() throws SQLException {
    assertThatThrownBy(
            () ->
                Transactions.inTransaction(
                    dataSource,
                    connection -> {
                      insert(connection, "lost");
                      throw new IllegalStateException("changed my mind");
                    }))
        .hasMessage("changed my mind");
    assertThatThrownBy(
            () ->
                Transactions.inTransaction(
                    dataSource,
                    connection -> {
                      insert(connection, "lost");
                      throw new SQLException("refused");
                    }))
        .hasMessage("refused");

    assertThat(postgres.queryForLong("SELECT count(*) FROM notes")).isZero();
    int next = Transactions.inTransaction(dataSource, connection -> insert(connection, "next"));
    assertThat(next).as("the single pooled connection came back").isEqualTo(1);
  }

  private static int insert(java.sql.Connection connection, String text) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("INSERT INTO notes (text) VALUES (?)")) {
      statement.setString(1, text);
      return statement.executeUpdate();
    }
  }
}
