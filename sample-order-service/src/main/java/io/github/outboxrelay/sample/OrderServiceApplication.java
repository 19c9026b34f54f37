package io.github.outboxrelay.sample;

import com.codahale.metrics.Gauge;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.errors.IllegalStateExceptionMapper;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.github.outboxrelay.dropwizard.EnvironmentPlaceholders;
import io.github.outboxrelay.sample.api.StrictJson;
import io.github.outboxrelay.sample.consumer.ConsumerFactory;
import io.github.outboxrelay.sample.consumer.ShippingProjection;
import io.github.outboxrelay.sample.core.OrderService;
import io.github.outboxrelay.sample.core.TransactionRunner;
import io.github.outboxrelay.sample.db.OrderRepository;
import io.github.outboxrelay.sample.db.SchemaMigration;
import io.github.outboxrelay.sample.errors.BodySizeLimitFilter;
import io.github.outboxrelay.sample.errors.DatabaseUnavailableMapper;
import io.github.outboxrelay.sample.errors.JsonErrorHandler;
import io.github.outboxrelay.sample.errors.JsonErrorMapper;
import io.github.outboxrelay.sample.errors.OrderExceptionMapper;
import io.github.outboxrelay.sample.errors.UnexpectedErrorMapper;
import io.github.outboxrelay.sample.errors.ValidationErrorMapper;
import io.github.outboxrelay.sample.errors.WebErrorMapper;
import io.github.outboxrelay.sample.resources.OrderResource;
import io.github.outboxrelay.sample.resources.RequestSpans;
import io.github.outboxrelay.writer.OutboxWriter;
import io.github.outboxrelay.writer.TopicRouter;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.Locale;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** The sample shop: {@code java -jar sample-order-service.jar server config/order-service.yml}. */
public class OrderServiceApplication extends Application<OrderServiceConfiguration> {

  public static void main(String[] args) throws Exception {
    new OrderServiceApplication().run(args);
  }

  @Override
  public String getName() {
    return "sample-order-service";
  }

  @Override
  public void initialize(Bootstrap<OrderServiceConfiguration> bootstrap) {
    // ${VAR} placeholders become values, never YAML: no password can break or show in parsing.
    EnvironmentPlaceholders.install(bootstrap);
    // Error messages are API: the same words (and ASCII digits) whatever the server's locale.
    // Hibernate Validator would otherwise answer "quantity" violations in Turkish on a tr_TR host.
    bootstrap.setValidatorFactory(
        Validators.newConfiguration().defaultLocale(Locale.ENGLISH).buildValidatorFactory());
  }

  @Override
  public void run(OrderServiceConfiguration configuration, Environment environment) {
    // Here, not in initialize: the same mapper reads the configuration, whose -Ddw. overrides
    // arrive as text.
    StrictJson.apply(environment.getObjectMapper());
    // Times as ISO-8601 ("2026-12-01T09:30:00.123456Z"), in the API and in the events' payloads,
    // not Jackson's default of epoch seconds with a fraction, which readers must guess the unit of.
    // The consumer reads both, so events written before still apply.
    environment.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    JsonErrorHandler.install(environment);
    // Built first, so closed last.
    HikariDataSource dataSource =
        configuration.getDatabase().build(environment, "sample-order-service");
    if (configuration.isMigrateOnStart()) {
      SchemaMigration.migrate(dataSource);
    }

    OutboxWriter outbox =
        OutboxWriter.builder()
            .topicRouter(TopicRouter.prefix(configuration.getTopicPrefix()))
            .build();
    TransactionRunner transactions =
        new TransactionRunner(
            dataSource,
            configuration.getMaxTransactionAttempts(),
            configuration.getRetryBackoff().toJavaDuration(),
            configuration.getReconnectBudget().toJavaDuration());
    environment.metrics().register("transactions.retries", (Gauge<Long>) transactions::retries);
    environment
        .metrics()
        .register("transactions.database-unavailable", (Gauge<Long>) transactions::unavailable);
    OrderService orders =
        new OrderService(
            transactions, new OrderRepository(), outbox, environment.getObjectMapper());

    // Spans for the requests that write events, so that the events carry their trace context.
    // Logged (logger io.opentelemetry.exporter.logging at INFO); a real service exports them with
    // OTLP instead, or runs under the OpenTelemetry Java agent.
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(LoggingSpanExporter.create()).build())
            .build();
    environment.lifecycle().manage(new AutoCloseableManager(tracing));
    environment
        .jersey()
        .register(new OrderResource(orders, new RequestSpans(tracing.get("sample-order-service"))));
    // Dropwizard's default mappers answer without "details"; ours cover what they did.
    if (configuration.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
    }
    environment.jersey().register(new UnexpectedErrorMapper());
    environment.jersey().register(new EarlyEofExceptionMapper());
    environment.jersey().register(new IllegalStateExceptionMapper());
    environment.jersey().register(new OrderExceptionMapper());
    // Retry-After: the reconnect budget; a restart that outlasted it may be over by then.
    environment
        .jersey()
        .register(
            new DatabaseUnavailableMapper(configuration.getReconnectBudget().toJavaDuration()));
    environment.jersey().register(new JsonErrorMapper.Parse());
    environment.jersey().register(new JsonErrorMapper.Mapping());
    environment.jersey().register(new JsonErrorMapper.Limits());
    environment.jersey().register(new ValidationErrorMapper());
    environment.jersey().register(new WebErrorMapper());
    environment
        .jersey()
        .register(new BodySizeLimitFilter(configuration.getMaxRequestSize().toBytes()));

    ConsumerFactory consumer = configuration.getConsumer();
    if (consumer.isEnabled()) {
      environment
          .lifecycle()
          .manage(
              new ShippingProjection(
                  new KafkaConsumer<>(consumer.properties()),
                  consumer.getTopic(),
                  transactions,
                  environment.getObjectMapper(),
                  environment.metrics()));
    }
  }
}
