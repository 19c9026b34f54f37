package io.github.outboxrelay.relay;

import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.github.outboxrelay.dropwizard.EnvironmentPlaceholders;
import io.github.outboxrelay.dropwizard.JdbcUrls;
import io.github.outboxrelay.relay.core.ClaimGate;
import io.github.outboxrelay.relay.core.WorkSignal;
import io.github.outboxrelay.relay.db.DatabaseFactory;
import io.github.outboxrelay.relay.db.ExclusiveLease;
import io.github.outboxrelay.relay.db.NotificationListener;
import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.db.OutboxTableCheck;
import io.github.outboxrelay.relay.db.RetentionJob;
import io.github.outboxrelay.relay.health.DatabaseHealthCheck;
import io.github.outboxrelay.relay.health.KafkaHealthCheck;
import io.github.outboxrelay.relay.health.LagHealthCheck;
import io.github.outboxrelay.relay.health.RelayHealthCheck;
import io.github.outboxrelay.relay.kafka.AdminTopicCheck;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import io.github.outboxrelay.relay.loop.BacklogProbe;
import io.github.outboxrelay.relay.loop.OutboxRelay;
import io.github.outboxrelay.relay.loop.RelayMetrics;
import io.github.outboxrelay.relay.loop.RelayStatus;
import io.github.outboxrelay.relay.tasks.ParkedEventsTask;
import io.github.outboxrelay.relay.tasks.RequeueParkedEventsTask;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox relay service: {@code java -jar outbox-relay.jar server config/relay.yml}, or {@code
 * check config/relay.yml} to validate a configuration.
 */
public class RelayApplication extends Application<RelayConfiguration> {

  private static final Logger LOG = LoggerFactory.getLogger(RelayApplication.class);
  private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(3);

  public static void main(String[] args) throws Exception {
    new RelayApplication().run(args);
  }

  @Override
  public String getName() {
    return "outbox-relay";
  }

  @Override
  public void initialize(Bootstrap<RelayConfiguration> bootstrap) {
    // ${VAR} placeholders become values, never YAML: no password can break or show in parsing.
    EnvironmentPlaceholders.install(bootstrap);
  }

  @Override
  public void run(RelayConfiguration configuration, Environment environment) throws Exception {
    RelayFactory outbox = configuration.getOutbox();
    DatabaseFactory database = configuration.getDatabase();
    Properties producerProperties = configuration.getKafka().producerProperties();
    LOG.info(
        "Starting outbox relay: {}", ConfigurationSummary.of(configuration, producerProperties));

    HikariDataSource dataSource = database.build("outbox-relay");
    environment.lifecycle().manage(closing(dataSource::close));
    OutboxRepository repository =
        new OutboxRepository(outbox.getTable(), environment.getObjectMapper());
    verifyOutboxTable(dataSource, database, outbox.getTable());

    // Registered before the relay, so stopped after it: the publisher asks it about topics.
    Admin admin = Admin.create(configuration.getKafka().adminProperties());
    environment.lifecycle().manage(closing(() -> admin.close(Duration.ofSeconds(2))));
    WorkSignal signal = new WorkSignal();
    KafkaPublisher publisher =
        new KafkaPublisher(
            new KafkaProducer<>(producerProperties),
            configuration.getKafka().ackTimeout(),
            new AdminTopicCheck(admin, TOPIC_CHECK_TIMEOUT));
    ClaimGate claimGate =
        claimGate(environment, database, outbox, configuration.getKafka().ackTimeout());
    environment.metrics().gauge("outbox.relay.active", () -> () -> claimGate.isOpen() ? 1 : 0);
    RelayStatus status = new RelayStatus();
    environment.healthChecks().register("relay", new RelayHealthCheck(status, claimGate));
    environment
        .lifecycle()
        .manage(
            new OutboxRelay(
                dataSource,
                repository,
                publisher,
                outbox.settings(),
                new RelayMetrics(environment.metrics()),
                status,
                signal,
                claimGate));
    if (outbox.isListenNotify()) {
      environment
          .lifecycle()
          .manage(
              new NotificationListener(
                  () -> database.openUnpooled("outbox-relay-listener"),
                  outbox.getNotifyChannel(),
                  signal));
    }
    scheduleRetention(environment, dataSource, repository, outbox.getRetention());

    BacklogProbe probe =
        new BacklogProbe(dataSource, repository, outbox.getMetricsRefresh().toJavaDuration());
    probe.register(environment.metrics());
    environment.healthChecks().register("database", new DatabaseHealthCheck(dataSource));
    environment.healthChecks().register("kafka", new KafkaHealthCheck(admin));
    environment
        .healthChecks()
        .register(
            "outbox-lag", new LagHealthCheck(probe, outbox.getLagThreshold().toJavaDuration()));

    environment
        .admin()
        .addTask(new ParkedEventsTask(dataSource, repository, environment.getObjectMapper()));
    environment.admin().addTask(new RequeueParkedEventsTask(dataSource, repository));
  }

  /** The exclusive lease, or every relay claims; see {@link ExclusiveLease}. */
  private static ClaimGate claimGate(
      Environment environment, DatabaseFactory database, RelayFactory outbox, Duration ackTimeout) {
    if (!outbox.isExclusive()) {
      return ClaimGate.ALWAYS_OPEN;
    }
    ExclusiveLease lease =
        new ExclusiveLease(
            () -> database.openUnpooled("outbox-relay-lease"),
            outbox.getTable(),
            outbox.getLeaseCheckInterval().toJavaDuration(),
            ackTimeout.plus(outbox.getShutdownTimeout().toJavaDuration()));
    // Managed before the relay, so it starts first and is released after the relay stopped.
    environment.lifecycle().manage(lease);
    return lease;
  }

  private static void verifyOutboxTable(
      HikariDataSource dataSource, DatabaseFactory database, String table) throws SQLException {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      // The URL may carry a password; the cause is the pool's, which masks it too.
      throw new IllegalStateException(
          "Cannot reach PostgreSQL at "
              + JdbcUrls.masked(database.getUrl())
              + " as "
              + database.getUser()
              + ": "
              + e.getMessage(),
          e);
    }
    try (connection) {
      OutboxTableCheck.verify(connection, table);
      connection.rollback();
    }
  }

  private static void scheduleRetention(
      Environment environment,
      HikariDataSource dataSource,
      OutboxRepository repository,
      RetentionFactory retention) {
    if (!retention.isEnabled()) {
      return;
    }
    ScheduledExecutorService scheduler =
        environment.lifecycle().scheduledExecutorService("outbox-retention").threads(1).build();
    long interval = retention.getInterval().toMilliseconds();
    scheduler.scheduleWithFixedDelay(
        new RetentionJob(
            dataSource,
            repository,
            retention.getPublishedAge().toJavaDuration(),
            retention.getBatchSize()),
        interval,
        interval,
        TimeUnit.MILLISECONDS);
  }

  private static Managed closing(Runnable close) {
    return new Managed() {
      @Override
      public void stop() {
        close.run();
      }
    };
  }
}
