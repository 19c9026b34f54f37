package io.github.outboxrelay.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumConfigTest {

  @Test
  void readsHostPortAndDatabaseFromTheJdbcUrl() {
    assertThat(
            DebeziumConfig.Server.fromJdbcUrl(
                "jdbc:postgresql://db.local:6543/orders?sslmode=disable", "app"))
        .isEqualTo(new DebeziumConfig.Server("db.local", 6543, "orders"));
  }

  @Test
  void defaultsThePortAndTheDatabaseAsTheDriverDoes() {
    assertThat(DebeziumConfig.Server.fromJdbcUrl("jdbc:postgresql://127.0.0.1/", "postgres"))
        .isEqualTo(new DebeziumConfig.Server("127.0.0.1", 5432, "postgres"));
  }

  @Test
  void refusesAnotherDatabase() {
    assertThatThrownBy(() -> DebeziumConfig.Server.fromJdbcUrl("jdbc:mysql://h/db", "u"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void routesTheOutboxTableWithTheTunedSettingsAndTheRelaysProducer() {
    Properties p =
        DebeziumConfig.properties(
            settings(), Map.of("acks", "all", "linger.ms", 5, "bootstrap.servers", "b:9092"));

    assertThat(p.getProperty("engine.plugin.name")).isEqualTo("pgoutput");
    assertThat(p.getProperty("engine.slot.name")).isEqualTo("outbox_bench_debezium");
    assertThat(p.getProperty("engine.slot.drop.on.stop")).isEqualTo("true");
    assertThat(p.getProperty("engine.table.include.list")).isEqualTo("outbox_bench.outbox");
    assertThat(p.getProperty("engine.snapshot.mode")).isEqualTo("no_data");
    assertThat(p.getProperty("engine.max.batch.size")).isEqualTo("16384");
    assertThat(Integer.parseInt(p.getProperty("engine.max.queue.size"))).isGreaterThan(16384);
    assertThat(p.getProperty("engine.poll.interval.ms")).isEqualTo("10");
    assertThat(p.getProperty("engine.transforms.outbox.type"))
        .isEqualTo("io.debezium.transforms.outbox.EventRouter");
    assertThat(p.getProperty("engine.transforms.outbox.route.by.field")).isEqualTo("topic");
    assertThat(p.getProperty("engine.database.dbname")).isEqualTo("postgres");
    assertThat(p.getProperty("engine.database.password")).isNull();
    assertThat(p.getProperty("producer.acks")).isEqualTo("all");
    assertThat(p.getProperty("producer.linger.ms")).isEqualTo("5");
  }

  private static BenchmarkSettings settings() {
    return new BenchmarkSettings(
        Path.of("."),
        "0.1.0-SNAPSHOT",
        "jdbc:postgresql://127.0.0.1:5432/postgres",
        "postgres",
        "",
        "",
        1000,
        256,
        10,
        6,
        0,
        "-Xmx256m",
        List.of(1000),
        10);
  }
}
