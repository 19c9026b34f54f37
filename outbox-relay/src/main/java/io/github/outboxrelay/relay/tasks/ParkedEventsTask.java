package io.github.outboxrelay.relay.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.servlets.tasks.Task;
import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.relay.db.ParkedEvents;
import io.github.outboxrelay.relay.db.Transactions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code POST /tasks/parked-events[?limit=N]} on the admin port: the parked (dead-lettered) events,
 * oldest first, as JSON lines, with why they were parked.
 */
public final class ParkedEventsTask extends Task {

  static final int DEFAULT_LIMIT = 100;

  private final DataSource dataSource;
  private final ParkedEvents parked;
  private final ObjectMapper json;

  public ParkedEventsTask(DataSource dataSource, ParkedEvents parked, ObjectMapper json) {
    super("parked-events");
    this.dataSource = dataSource;
    this.parked = parked;
    this.json = json;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    int limit = TaskParameters.positiveInt(parameters, "limit", DEFAULT_LIMIT);
    List<ParkedEvent> events =
        Transactions.inTransaction(dataSource, connection -> parked.listParked(connection, limit));
    for (ParkedEvent event : events) {
      output.println(json.writeValueAsString(event));
    }
    output.flush();
  }
}
