package io.github.outboxrelay.relay.admin;

import io.github.outboxrelay.relay.core.Holds;
import io.github.outboxrelay.relay.db.Pauses;
import io.github.outboxrelay.relay.db.Transactions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pausing and resuming publishing, whole or per topic, kept in the database across restarts. A body
 * without {@code topic} means everything. Refusals change nothing and say what is wrong.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class PausesResource {

  private static final Logger LOG = LoggerFactory.getLogger(PausesResource.class);

  /** Kafka's rule for topic names. */
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final DataSource dataSource;
  private final Pauses pauses;

  public PausesResource(DataSource dataSource, Pauses pauses) {
    this.dataSource = dataSource;
    this.pauses = pauses;
  }

  /** The body of a pause or resume: one topic, or none for everything. */
  public record PauseRequest(String topic) {}

  /** What a resume changed. */
  public record ResumeAnswer(List<String> resumed, int released) {}

  /** What a pause changed. */
  public record PauseAnswer(String paused) {}

  @GET
  @Path("pauses")
  public List<Pauses.Pause> list() throws SQLException {
    return Transactions.inTransaction(dataSource, pauses::list);
  }

  @POST
  @Path("pause")
  @Consumes(MediaType.APPLICATION_JSON)
  public PauseAnswer pause(PauseRequest request, @Context HttpServletRequest http)
      throws SQLException {
    String topic = topicOrEverything(request);
    String who = Operators.name(http);
    boolean paused =
        Transactions.inTransaction(dataSource, connection -> pauses.pause(connection, topic, who));
    if (!paused) {
      throw new ClientErrorException(
          describe(topic) + " is paused already", Response.Status.CONFLICT);
    }
    LOG.warn("Admin API: {} paused {}", who, describe(topic));
    return new PauseAnswer(topic);
  }

  @POST
  @Path("resume")
  @Consumes(MediaType.APPLICATION_JSON)
  public ResumeAnswer resume(PauseRequest request, @Context HttpServletRequest http)
      throws SQLException {
    String topic = topicOrEverything(request);
    String only = Holds.EVERYTHING.equals(topic) ? null : topic;
    Pauses.Resumed resumed =
        Transactions.inTransaction(dataSource, connection -> pauses.resume(connection, only));
    if (resumed.topics().isEmpty()) {
      throw new ClientErrorException(
          only == null ? "nothing is paused" : "topic " + only + " is not paused",
          Response.Status.CONFLICT);
    }
    LOG.warn(
        "Admin API: {} resumed {}, releasing {} held event(s)",
        Operators.name(http),
        resumed.topics(),
        resumed.released());
    return new ResumeAnswer(resumed.topics(), resumed.released());
  }

  private static String topicOrEverything(PauseRequest request) {
    if (request == null) {
      throw new BadRequestException(
          "a JSON body is required: {} for everything, or {\"topic\": \"...\"}");
    }
    if (request.topic() == null) {
      return Holds.EVERYTHING;
    }
    if (!TOPIC.matcher(request.topic()).matches()) {
      throw new BadRequestException(
          "topic must be a Kafka topic name (1 to 249 of a-z, A-Z, 0-9, '.', '_', '-'), not '"
              + Operators.shorten(request.topic())
              + "'");
    }
    return request.topic();
  }

  private static String describe(String topic) {
    return Holds.EVERYTHING.equals(topic) ? "everything" : "topic " + topic;
  }
}
