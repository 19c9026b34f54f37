package io.github.outboxrelay.relay.tasks;

import io.dropwizard.servlets.tasks.Task;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Transactions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tasks/requeue-parked-events?id=<event id>} (or {@code ?all=true}) on the admin port:
 * returns parked events to the queue with a fresh attempt count, e.g. after the topic was created
 * or the broker's size limit raised. Requeueing everything must be asked for explicitly.
 */
public final class RequeueParkedEventsTask extends Task {

  private static final Logger LOG = LoggerFactory.getLogger(RequeueParkedEventsTask.class);

  private final DataSource dataSource;
  private final ParkedEvents parked;

  public RequeueParkedEventsTask(DataSource dataSource, ParkedEvents parked) {
    super("requeue-parked-events");
    this.dataSource = dataSource;
    this.parked = parked;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    Optional<UUID> id = TaskParameters.uuid(parameters, "id");
    boolean all = TaskParameters.flag(parameters, "all");
    if (id.isEmpty() == !all) {
      throw new IllegalArgumentException("give exactly one of id=<event id> or all=true");
    }
    ParkedEvents.Released requeued =
        Transactions.inTransaction(dataSource, connection -> parked.requeueParked(connection, id));
    LOG.info(
        "Requeued {} parked event(s) ({}), releasing {} event(s) held behind them",
        requeued.parked(),
        id.map(UUID::toString).orElse("all"),
        requeued.held());
    output.println("requeued " + requeued.parked() + ", released " + requeued.held());
    output.flush();
  }
}
