package io.github.outboxrelay.relay.admin;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.github.outboxrelay.relay.db.LeaseDirectory;
import io.github.outboxrelay.relay.db.Pauses;
import io.github.outboxrelay.relay.db.Transactions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The relay's state at a glance, from any relay of the table: who holds the lease and who stands
 * by, what is paused, the backlog and its oldest age, parked and held events, and this relay's
 * publishing rates. The table's figures come from the relay's gauges (read at most once per {@code
 * metricsRefresh}); -1 means the database could not be read.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class RelayStateResource {

  private final DataSource dataSource;
  private final LeaseDirectory lease; // null without the exclusive lease
  private final Pauses pauses;
  private final MetricRegistry metrics;
  private final String instance;

  public RelayStateResource(
      DataSource dataSource,
      LeaseDirectory lease,
      Pauses pauses,
      MetricRegistry metrics,
      String instance) {
    this.instance = instance;
    this.dataSource = dataSource;
    this.lease = lease;
    this.pauses = pauses;
    this.metrics = metrics;
  }

  /** The lease's holder (null if none) and the relays standing by. */
  public record Lease(String holder, List<String> standbys) {}

  /** Events this relay published: in all, and per second over the last 1, 5 and 15 minutes. */
  public record Rates(long total, double lastMinute, double last5Minutes, double last15Minutes) {}

  public record State(
      String relay,
      boolean claiming,
      List<String> paused,
      Lease lease,
      long backlog,
      long oldestAgeMillis,
      long parked,
      long held,
      Rates published) {}

  @GET
  @Path("state")
  public State state() throws SQLException {
    List<LeaseDirectory.Member> members =
        lease == null ? List.of() : Transactions.inTransaction(dataSource, lease::members);
    List<String> paused =
        Transactions.inTransaction(dataSource, pauses::list).stream()
            .map(Pauses.Pause::topic)
            .toList();
    Meter published = metrics.meter("outbox.relay.published");
    return new State(
        instance,
        gauge("outbox.relay.active") == 1,
        paused,
        lease == null
            ? null
            : new Lease(
                members.stream()
                    .filter(LeaseDirectory.Member::holder)
                    .map(LeaseDirectory.Member::instance)
                    .findFirst()
                    .orElse(null),
                members.stream()
                    .filter(member -> !member.holder())
                    .map(LeaseDirectory.Member::instance)
                    .toList()),
        gauge("outbox.backlog"),
        gauge("outbox.oldest-unpublished-age-ms"),
        gauge("outbox.parked"),
        gauge("outbox.held"),
        new Rates(
            published.getCount(),
            published.getOneMinuteRate(),
            published.getFiveMinuteRate(),
            published.getFifteenMinuteRate()));
  }

  private long gauge(String name) {
    Gauge<?> gauge = metrics.getGauges().get(name);
    return gauge != null && gauge.getValue() instanceof Number number ? number.longValue() : -1;
  }
}
