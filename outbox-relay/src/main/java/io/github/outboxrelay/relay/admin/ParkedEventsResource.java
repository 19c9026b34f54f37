package io.github.outboxrelay.relay.admin;

import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Transactions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API for parked events and the keys they hold: list them, requeue one, a key or all,
 * skip one with a reason. A request it refuses changes nothing and gets 400, 404 or 409 with a JSON
 * error saying what is wrong; every change is logged with what changed.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ParkedEventsResource {

  private static final Logger LOG = LoggerFactory.getLogger(ParkedEventsResource.class);

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_REASON_LENGTH = 500;

  private final DataSource dataSource;
  private final ParkedEvents parked;

  public ParkedEventsResource(DataSource dataSource, ParkedEvents parked) {
    this.dataSource = dataSource;
    this.parked = parked;
  }

  /**
   * One parked event as listed: it holds its key, with {@code heldEvents} waiting behind it. Times
   * are ISO-8601 strings (UTC).
   */
  public record ParkedView(
      UUID id,
      long seq,
      String topic,
      String key,
      String type,
      int attempts,
      String lastError,
      String parkedAt,
      long heldEvents) {

    static ParkedView of(ParkedEvents.Parked parked) {
      ParkedEvent event = parked.event();
      return new ParkedView(
          event.id(),
          event.seq(),
          event.topic(),
          event.aggregateId(),
          event.eventType(),
          event.attempts(),
          event.lastError(),
          event.parkedAt().toString(),
          parked.heldEvents());
    }
  }

  /** A page of parked events; {@code next} is the {@code after} of the next page, or null. */
  public record ParkedPage(List<ParkedView> events, Long next) {}

  /** A key held by a parked event. */
  public record HeldKeyView(
      String topic, String key, UUID parkedEventId, long heldEvents, String heldSince) {}

  /** The body of a requeue of many: {@code {"all": true}} or {@code {"topic", "key"}}. */
  public record RequeueRequest(Boolean all, String topic, String key) {}

  /** The body of a skip: why the event is given up. */
  public record SkipRequest(String reason) {}

  /** What a requeue or skip changed. */
  public record Released(int parked, int released) {

    static Released of(ParkedEvents.Released released) {
      return new Released(released.parked(), released.held());
    }
  }

  @GET
  @Path("parked")
  public ParkedPage list(
      @QueryParam("topic") String topic,
      @QueryParam("key") String key,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit)
      throws SQLException {
    int pageSize = limit(limit);
    List<ParkedView> events =
        page(new ParkedEvents.Filter(blankToNull(topic), blankToNull(key), after(after), pageSize));
    Long next = events.size() == pageSize ? events.get(events.size() - 1).seq() : null;
    return new ParkedPage(events, next);
  }

  @GET
  @Path("held-keys")
  public List<HeldKeyView> heldKeys(@QueryParam("limit") String limit) throws SQLException {
    return page(new ParkedEvents.Filter(null, null, 0, limit(limit))).stream()
        .map(p -> new HeldKeyView(p.topic(), p.key(), p.id(), p.heldEvents(), p.parkedAt()))
        .toList();
  }

  @POST
  @Path("parked/{id}/requeue")
  public Released requeue(@PathParam("id") String id) throws SQLException {
    UUID event = uuid(id);
    ParkedEvents.Released released =
        Transactions.inTransaction(
            dataSource,
            connection -> {
              requireParked(connection, event, "requeue");
              return parked.requeueParked(connection, Optional.of(event));
            });
    LOG.info(
        "Admin API: requeued parked event {}, releasing {} event(s) held behind it",
        event,
        released.held());
    return Released.of(released);
  }

  @POST
  @Path("parked/requeue")
  @Consumes(MediaType.APPLICATION_JSON)
  public Released requeueMany(RequeueRequest request) throws SQLException {
    if (request == null) {
      throw new BadRequestException(
          "a JSON body is required: {\"all\": true} or {\"topic\": \"...\", \"key\": \"...\"}");
    }
    boolean all = Boolean.TRUE.equals(request.all());
    boolean oneKey = request.topic() != null || request.key() != null;
    if (all == oneKey) {
      throw new BadRequestException("give either \"all\": true or \"topic\" and \"key\", not both");
    }
    if (oneKey && (isBlank(request.topic()) || isBlank(request.key()))) {
      throw new BadRequestException("a key is requeued by \"topic\" and \"key\", both non-blank");
    }
    ParkedEvents.Released released =
        Transactions.inTransaction(
            dataSource,
            connection ->
                all
                    ? parked.requeueParked(connection, Optional.empty())
                    : parked.requeueKey(connection, request.topic(), request.key()));
    LOG.info(
        "Admin API: requeued {} parked event(s) ({}), releasing {} event(s) held behind them",
        released.parked(),
        all ? "all" : "topic " + request.topic() + ", key " + request.key(),
        released.held());
    return Released.of(released);
  }

  @POST
  @Path("parked/{id}/skip")
  @Consumes(MediaType.APPLICATION_JSON)
  public Released skip(
      @PathParam("id") String id, SkipRequest request, @Context HttpServletRequest http)
      throws SQLException {
    UUID event = uuid(id);
    String reason = request == null ? null : request.reason();
    if (isBlank(reason)) {
      throw new BadRequestException("\"reason\" is required: say why the event is given up");
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      throw new BadRequestException(
          "\"reason\" may have at most " + MAX_REASON_LENGTH + " characters");
    }
    String who = Operators.name(http);
    ParkedEvents.Released released =
        Transactions.inTransaction(
            dataSource,
            connection -> {
              requireParked(connection, event, "skip");
              return parked.skipParked(connection, event, who, reason.strip());
            });
    LOG.warn(
        "Admin API: {} skipped parked event {} ({}), releasing {} event(s) held behind it",
        who,
        event,
        reason.strip(),
        released.held());
    return Released.of(released);
  }

  private List<ParkedView> page(ParkedEvents.Filter filter) throws SQLException {
    return Transactions.inTransaction(dataSource, connection -> parked.list(connection, filter))
        .stream()
        .map(ParkedView::of)
        .toList();
  }

  /** Refuses, with what is wrong, an event that cannot be requeued or skipped. */
  private void requireParked(java.sql.Connection connection, UUID id, String action)
      throws SQLException {
    ParkedEvents.EventStanding standing =
        parked
            .standing(connection, id)
            .orElseThrow(() -> new NotFoundException("no event with id " + id));
    String refusal =
        switch (standing.standing()) {
          case PARKED -> null;
          case HELD ->
              "event "
                  + id
                  + " waits behind parked event "
                  + standing.behind()
                  + " of its key; "
                  + action
                  + " that one";
          case SKIPPED -> "event " + id + " was skipped already";
          case NOT_PARKED -> "event " + id + " is not parked";
        };
    if (refusal != null) {
      throw new ClientErrorException(refusal, Response.Status.CONFLICT);
    }
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("id must be a UUID, not '" + Operators.shorten(id) + "'");
    }
  }

  private static int limit(String limit) {
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new BadRequestException(
        "limit must be an integer from 1 to "
            + MAX_LIMIT
            + ", not '"
            + Operators.shorten(limit)
            + "'");
  }

  private static long after(String after) {
    if (after == null) {
      return 0;
    }
    try {
      long value = Long.parseLong(after);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new BadRequestException(
        "after must be a seq (a non-negative integer), not '" + Operators.shorten(after) + "'");
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static String blankToNull(String value) {
    return isBlank(value) ? null : value;
  }
}
