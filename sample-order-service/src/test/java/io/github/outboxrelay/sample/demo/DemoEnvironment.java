package io.github.outboxrelay.sample.demo;

import io.github.outboxrelay.testing.kafka.LocalKafkaBroker;
import io.github.outboxrelay.testing.process.ServiceProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Everything the demo starts, and stops again: PostgreSQL if none serves (see {@link
 * DemoDatabase}), a fresh schema, a local Kafka broker unless one is configured, the order service
 * (with its consumer) and the relay, each from its jar.
 */
final class DemoEnvironment implements AutoCloseable {

  static final String TOPIC = "outbox.event.order";

  /** Set when the JVM shuts down (Ctrl-C): what fails from then on is the stop, not the demo. */
  static volatile boolean stopping;

  private final DemoSettings settings;
  private DemoDatabase database;
  private LocalKafkaBroker broker;
  private String bootstrapServers;
  private ServiceProcess shop;
  private ServiceProcess relay;
  private int shopPort;
  private boolean closed;

  private DemoEnvironment(DemoSettings settings) {
    this.settings = settings;
  }

  static DemoEnvironment start(DemoSettings settings) throws Exception {
    DemoEnvironment environment = new DemoEnvironment(settings);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping = true;
                  environment.closeQuietly();
                },
                "demo-cleanup"));
    try {
      environment.startAll();
      return environment;
    } catch (Exception e) {
      environment.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    database = DemoDatabase.find(settings);
    say("resetting schema %s", DemoSettings.SCHEMA);
    resetSchema();
    if (settings.kafkaBootstrapServers().isEmpty()) {
      say("starting a local Kafka broker (KRaft)");
      broker = LocalKafkaBroker.start();
      bootstrapServers = broker.bootstrapServers();
    } else {
      bootstrapServers = settings.kafkaBootstrapServers();
    }
    say("Kafka at %s; creating topic %s", bootstrapServers, TOPIC);
    createTopic();

    int[] ports = ServiceProcess.freePorts(4);
    shopPort = ports[0];
    Map<String, String> common =
        Map.of(
            "OUTBOX_JDBC_URL", schemaJdbcUrl(),
            "OUTBOX_DB_USER", database.server().user(),
            "OUTBOX_DB_PASSWORD", settings.password(),
            "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    say("starting the order service (with its shipping consumer); it applies the migrations");
    shop =
        ServiceProcess.start(
            "order-service",
            settings.jar("sample-order-service"),
            settings.config("order-service.yml"),
            ServiceProcess.environment(
                common,
                "ORDER_CONSUMER_ENABLED",
                "true",
                "ORDER_SERVICE_PORT",
                ports[0],
                "ORDER_SERVICE_ADMIN_PORT",
                ports[1]),
            settings.logDirectory(),
            ports[1]);
    shop.awaitHealthy(Duration.ofSeconds(90));
    say("starting the relay (LISTEN/NOTIFY wake-up on)");
    relay =
        ServiceProcess.start(
            "relay",
            settings.jar("outbox-relay"),
            settings.config("relay.yml"),
            ServiceProcess.environment(
                common,
                "OUTBOX_LISTEN_NOTIFY",
                "true",
                "RELAY_HTTP_PORT",
                ports[2],
                "RELAY_ADMIN_PORT",
                ports[3]),
            settings.logDirectory(),
            ports[3]);
    relay.awaitHealthy(Duration.ofSeconds(90));
    say("all running; logs in %s", settings.logDirectory());
  }

  String shopUrl() {
    return "http://127.0.0.1:" + shopPort;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  int shopAdminPort() {
    return shop.adminPort();
  }

  Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", database.server().user());
    if (!settings.password().isEmpty()) {
      properties.setProperty("password", settings.password());
    }
    return DriverManager.getConnection(schemaJdbcUrl(), properties);
  }

  private String schemaJdbcUrl() {
    return DemoSettings.schemaJdbcUrl(database.server().jdbcUrl());
  }

  private void resetSchema() throws SQLException {
    try (Connection connection = database.server().connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + DemoSettings.SCHEMA + " CASCADE");
      statement.execute("CREATE SCHEMA " + DemoSettings.SCHEMA);
    }
  }

  private void createTopic() throws Exception {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(properties)) {
      Set<String> existing = admin.listTopics().names().get();
      if (!existing.contains(TOPIC)) {
        // Broker append times, so that the report can tell the relay's share of the latency.
        NewTopic topic =
            new NewTopic(TOPIC, 3, (short) 1)
                .configs(Map.of("message.timestamp.type", "LogAppendTime"));
        admin.createTopics(List.of(topic)).all().get();
      }
    }
  }

  static void say(String format, Object... arguments) {
    System.out.printf("[demo] " + format + "%n", arguments);
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("[demo] cleanup failed: " + e);
    }
  }

  /** Stops the relay and the service together (each finishes its in-flight work), then Kafka. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    if (shop != null) {
      shop.requestStop();
    }
    if (relay != null) {
      relay.close();
    }
    if (shop != null) {
      shop.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (database != null) {
      database.close();
    }
    say("stopped everything the demo started");
  }
}
