package io.github.outboxrelay.relay.db;

import io.github.outboxrelay.relay.core.WorkSignal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the idle relay loop as soon as a writer's transaction commits, instead of at the next poll.
 * It holds one connection of its own (outside the pool, since it waits on it indefinitely) with
 * {@code LISTEN} on the channel that the outbox's notify trigger signals, while the loop wants
 * wake-ups: while events flow, the loop claims every active poll interval anyway, and listening
 * would cost a notification per writer commit (PostgreSQL signals the listening backend, which
 * wakes this thread). Polling still runs, so a lost connection or notification delays events by at
 * most the poll interval; none is lost.
 */
public final class NotificationListener extends BackgroundConnection {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final int WAIT_MILLIS = 500;

  private final ConnectionSource connections;
  private final String channel;
  private final WorkSignal signal;

  public NotificationListener(ConnectionSource connections, String channel, WorkSignal signal) {
    super("outbox-notify-listener");
    this.connections = connections;
    this.channel = channel;
    this.signal = signal;
  }

  @Override
  protected void run() {
    while (running()) {
      try (Connection connection = connections.open()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + channel);
        }
        recovered("The notification connection works");
        LOG.info("Listening for outbox notifications on channel {}", channel);
        reconnectBackoff.reset();
        PGConnection pg = connection.unwrap(PGConnection.class);
        boolean listening = true;
        // A wake-up after (re)connecting covers commits made while no one listened.
        signal.signal();
        while (running()) {
          boolean wanted = signal.awaitWakeUpsWanted(Duration.ofMillis(WAIT_MILLIS));
          if (wanted != listening) {
            try (Statement statement = connection.createStatement()) {
              statement.execute((wanted ? "LISTEN " : "UNLISTEN ") + channel);
            }
            listening = wanted;
            if (listening) {
              signal.signal(); // covers commits made while no one listened
            }
          }
          if (listening) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
              signal.signal();
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException | RuntimeException e) {
        if (running()) {
          failed("No outbox notifications (polling continues)", e);
          pause(reconnectBackoff.next());
        }
      }
    }
  }
}
