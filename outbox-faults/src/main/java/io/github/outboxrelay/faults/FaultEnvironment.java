package io.github.outboxrelay.faults;

import static io.github.outboxrelay.faults.Say.say;

import io.github.outboxrelay.testing.kafka.LocalKafkaBroker;
import io.github.outboxrelay.testing.net.TcpProxy;
import io.github.outboxrelay.testing.process.ServiceProcess;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Everything the suite starts, and stops again on every path: a fresh schema, a Kafka broker in its
 * own process, the order service with its shipping consumer, and two relays, each behind a TCP
 * proxy to PostgreSQL. Kafka is not proxied: the broker advertises its own address, so a client
 * would bypass a proxy after its first metadata request; the network fault is relay-PostgreSQL.
 */
final class FaultEnvironment implements AutoCloseable {

  static final String TOPIC = "outbox.event.order";
  static final int PARTITIONS = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final FaultSettings settings;
  private final Database database;
  private final AtomicBoolean closed = new AtomicBoolean();
  private LocalKafkaBroker broker;
  private ServiceProcess shop;
  private TcpProxy shopDatabaseProxy;
  private int shopPort;
  private final List<RelayNode> relays = new CopyOnWriteArrayList<>();

  private FaultEnvironment(FaultSettings settings, Database database) {
    this.settings = settings;
    this.database = database;
  }

  static FaultEnvironment start(FaultSettings settings, Database database) throws Exception {
    FaultEnvironment environment = new FaultEnvironment(settings, database);
    Runtime.getRuntime().addShutdownHook(new Thread(environment::closeQuietly, "faults-cleanup"));
    try {
      environment.startAll();
      return environment;
    } catch (Exception e) {
      environment.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    say("resetting schema %s at %s", FaultSettings.SCHEMA, settings.jdbcUrl());
    try (Connection connection = database.connectToDatabase();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + FaultSettings.SCHEMA + " CASCADE");
      statement.execute("CREATE SCHEMA " + FaultSettings.SCHEMA);
    }
    say("starting a Kafka broker in its own process (topic auto-creation off)");
    broker = LocalKafkaBroker.start();
    createTopic();
    int[] ports = ServiceProcess.freePorts(6);
    shopPort = ports[0];
    shopDatabaseProxy = TcpProxy.start(database.host(), database.port());
    say(
        "starting the order service with its shipping consumer; it applies the migrations;"
            + " PostgreSQL via proxy port %d",
        shopDatabaseProxy.port());
    shop =
        ServiceProcess.start(
            "order-service",
            settings.shopJar(),
            settings.config("order-service.yml"),
            ServiceProcess.environment(
                common(database.proxiedJdbcUrl(shopDatabaseProxy.port())),
                "ORDER_CONSUMER_ENABLED",
                "true",
                "ORDER_SERVICE_PORT",
                ports[0],
                "ORDER_SERVICE_ADMIN_PORT",
                ports[1]),
            settings.outputDirectory(),
            ports[1]);
    shop.awaitHealthy(START_TIMEOUT);
    try (Connection connection = database.connect()) {
      ShopStock.insert(connection);
    }
    relays.add(startRelay("relay-a", ports[2], ports[3]));
    relays.add(startRelay("relay-b", ports[4], ports[5]));
    for (RelayNode relay : relays) {
      relay.process().awaitHealthy(START_TIMEOUT);
    }
    say("all running; logs in %s", settings.outputDirectory());
  }

  private RelayNode startRelay(String name, int httpPort, int adminPort) throws IOException {
    TcpProxy proxy = TcpProxy.start(database.host(), database.port());
    say(
        "starting %s (LISTEN/NOTIFY on, exclusive lease on), PostgreSQL via proxy port %d",
        name, proxy.port());
    ServiceProcess process =
        ServiceProcess.start(
            name,
            settings.relayJar(),
            settings.config("relay.yml"),
            ServiceProcess.environment(
                common(database.relayJdbcUrl(proxy.port(), RelayNode.applicationName(name))),
                "OUTBOX_LISTEN_NOTIFY",
                "true",
                "RELAY_HTTP_PORT",
                httpPort,
                "RELAY_ADMIN_PORT",
                adminPort,
                "RELAY_INSTANCE_NAME",
                RelayNode.applicationName(name)),
            settings.outputDirectory(),
            adminPort);
    return new RelayNode(name, proxy, process);
  }

  private Map<String, String> common(String jdbcUrl) {
    return Map.of(
        "OUTBOX_JDBC_URL", jdbcUrl,
        "OUTBOX_DB_USER", settings.user(),
        "OUTBOX_DB_PASSWORD", settings.password(),
        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
  }

  private void createTopic() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
    }
  }

  Admin admin() {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return Admin.create(properties);
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  LocalKafkaBroker broker() {
    return broker;
  }

  String shopUrl() {
    return "http://127.0.0.1:" + shopPort;
  }

  int shopAdminPort() {
    return shop.adminPort();
  }

  /** Between the order service and PostgreSQL. */
  TcpProxy shopDatabaseProxy() {
    return shopDatabaseProxy;
  }

  /** The order service with its shipping consumer. */
  ServiceProcess shop() {
    return shop;
  }

  List<RelayNode> relays() {
    return relays;
  }

  /**
   * The relay whose lease connection holds the lease now, by its application name: the relay names
   * it {@code outbox-relay <table oid> <instance name>}, and the suite names each relay's instance
   * (older builds kept the JDBC URL's name, also matched).
   */
  Optional<RelayNode> leaseHolder() throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid ="
                    + " l.pid WHERE l.locktype = 'advisory' AND l.classid = '"
                    + FaultSettings.SCHEMA
                    + ".outbox'::regclass::oid AND l.objid = 1 AND l.objsubid = 2 AND"
                    + " l.granted")) {
      while (rs.next()) {
        String application = rs.getString(1);
        for (RelayNode relay : relays) {
          String instance = RelayNode.applicationName(relay.name());
          if (application.equals(instance) || application.endsWith(" " + instance)) {
            return Optional.of(relay);
          }
        }
      }
      return Optional.empty();
    }
  }

  /** The active relay, waiting up to {@code timeout} for one (a take-over may be under way). */
  Optional<RelayNode> awaitLeaseHolder(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        Optional<RelayNode> holder = leaseHolder();
        if (holder.isPresent() && holder.get().isAlive()) {
          return holder;
        }
      } catch (SQLException e) {
        // PostgreSQL restarting: ask again
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      Thread.sleep(100);
    }
  }

  /** After the faults: the broker up, every proxy forwarding, both relays running. */
  void restore() throws Exception {
    if (!broker.isRunning()) {
      say("restore: restarting the broker");
      broker.restart();
    }
    shopDatabaseProxy.acceptConnections();
    for (RelayNode relay : relays) {
      relay.proxy().resume();
      if (!relay.isAlive()) {
        say("restore: restarting %s", relay.name());
        relay.restart();
      }
    }
    for (RelayNode relay : relays) {
      // Answering, not healthy: the lag check may fail for a while after a long outage.
      relay.process().awaitAdminAnswering(START_TIMEOUT);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("[faults] cleanup failed: " + e);
    }
  }

  /** Stops the relays and the service (each finishes its in-flight work), then Kafka. */
  @Override
  public void close() throws InterruptedException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (shop != null) {
      shop.requestStop();
    }
    for (RelayNode relay : relays) {
      relay.process().requestStop();
    }
    for (RelayNode relay : relays) {
      relay.close();
    }
    if (shop != null) {
      shop.close();
    }
    if (shopDatabaseProxy != null) {
      shopDatabaseProxy.close();
    }
    if (broker != null) {
      broker.close();
    }
    say("stopped everything the suite started");
  }
}
