package io.github.outboxrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.tasks.Task;
import io.github.outboxrelay.dropwizard.EnvironmentPlaceholders;
import io.github.outboxrelay.relay.admin.AdminApi;
import io.github.outboxrelay.relay.admin.PrometheusServlet;
import io.github.outboxrelay.relay.db.FrontierQueries;
import io.github.outboxrelay.relay.db.LeaseDirectory;
import io.github.outboxrelay.relay.db.OutboxRepository;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Pauses;
import io.github.outboxrelay.relay.kafka.KafkaPublisher;
import io.github.outboxrelay.relay.tasks.ParkedEventsTask;
import io.github.outboxrelay.relay.tasks.RequeueParkedEventsTask;
import io.github.outboxrelay.relay.tasks.TaskRequestServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox relay service: {@code java -jar outbox-relay.jar server config/relay.yml}, or {@code
 * check config/relay.yml} to validate a configuration.
 */
public class RelayApplication extends Application<RelayConfiguration> {

  private static final Logger LOG = LoggerFactory.getLogger(RelayApplication.class);

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
    LOG.info("Starting outbox relay: {}", ConfigurationSummary.of(configuration));
    AdminAccess.secure(environment, configuration.getServerFactory(), configuration.getAdmin());
    DatabaseFactory database = configuration.getDatabase();
    KafkaFactory kafka = configuration.getKafka();
    RelayFactory outbox = configuration.getOutbox();

    // Registered first, so closed last.
    HikariDataSource dataSource = database.build(environment, "outbox-relay");
    database.verifyOutboxTable(dataSource, outbox.getTable());
    OutboxRepository repository = new OutboxRepository(outbox.getTable(), outbox.getPublished());
    FrontierQueries frontiers =
        new FrontierQueries(outbox.getTable(), environment.getObjectMapper());
    KafkaPublisher publisher = kafka.build(environment);
    PrometheusRegistry prometheus = new PrometheusRegistry();
    environment
        .admin()
        .addServlet("prometheus", new PrometheusServlet(prometheus))
        .addMapping(PrometheusServlet.PATH);
    outbox.build(
        environment,
        database,
        dataSource,
        repository,
        frontiers,
        publisher,
        kafka.ackTimeout(),
        prometheus);
    outbox.getRetention().build(environment, dataSource, frontiers, repository);

    ObjectMapper json = environment.getObjectMapper();
    ParkedEvents parked = new ParkedEvents(outbox.getTable());
    for (Task task :
        List.of(
            new ParkedEventsTask(dataSource, parked, json),
            new RequeueParkedEventsTask(dataSource, parked))) {
      environment.admin().addTask(task); // listed by GET /tasks
      TaskRequestServlet servlet = new TaskRequestServlet(task, json);
      environment.admin().addServlet(task.getName(), servlet).addMapping(servlet.path());
    }
    AdminApi.install(
        environment,
        dataSource,
        parked,
        new Pauses(outbox.getTable()),
        outbox.isExclusive() ? new LeaseDirectory(outbox.getTable()) : null,
        outbox.instance());
  }
}
