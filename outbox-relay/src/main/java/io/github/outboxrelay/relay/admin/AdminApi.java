package io.github.outboxrelay.relay.admin;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.core.setup.ExceptionMapperBinder;
import io.dropwizard.jersey.DropwizardResourceConfig;
import io.dropwizard.jersey.jackson.JacksonFeature;
import io.dropwizard.servlets.assets.AssetServlet;
import io.github.outboxrelay.relay.db.LeaseDirectory;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Pauses;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The relay's JSON admin API, on the admin port under {@link #PATH}: a Jersey application of its
 * own, with Dropwizard's JSON error answers (never a stack trace) and a bound on request bodies.
 * State changes take only {@code application/json} bodies, which an HTML form on another site
 * cannot send without the browser asking first (a CORS preflight this API never grants), and the
 * whole admin port refuses state changes from another origin ({@link SameOriginFilter}).
 */
public final class AdminApi {

  public static final String PATH = "/api/*";

  /** Where the status page is served on the admin port. */
  public static final String STATUS_PAGE = "/status/";

  private AdminApi() {}

  public static void install(
      Environment environment,
      DataSource dataSource,
      ParkedEvents parked,
      Pauses pauses,
      LeaseDirectory lease,
      String instance) {
    DropwizardResourceConfig api = new DropwizardResourceConfig(environment.metrics());
    api.setUrlPattern(PATH);
    api.register(new JacksonFeature(environment.getObjectMapper()));
    api.register(new ExceptionMapperBinder(false));
    api.register(new BodyLimitFilter());
    api.register(new ParkedEventsResource(dataSource, parked));
    api.register(new PausesResource(dataSource, pauses));
    api.register(
        new RelayStateResource(dataSource, lease, pauses, environment.metrics(), instance));
    environment.admin().addServlet("outbox-admin-api", new ServletContainer(api)).addMapping(PATH);
    // The status page: plain HTML and JavaScript over the API, from the jar, no build step.
    environment
        .admin()
        .addServlet(
            "outbox-status-page",
            new AssetServlet("/status", STATUS_PAGE, "index.html", StandardCharsets.UTF_8))
        .addMapping(STATUS_PAGE + "*");
    environment
        .admin()
        .addFilter("same-origin", new SameOriginFilter(environment.getObjectMapper()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
  }
}
