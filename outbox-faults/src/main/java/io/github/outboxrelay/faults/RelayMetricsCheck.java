package io.github.outboxrelay.faults;

import static io.github.outboxrelay.faults.Database.count;

import io.github.outboxrelay.faults.check.DeliveredRecord;
import io.github.outboxrelay.faults.check.MetricsAgreement;
import io.github.outboxrelay.faults.check.RelayScrape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Feeds {@link MetricsAgreement} from the table. The tolerance for an incarnation that ended counts
 * the rows it may have marked after its last scrape: those marked from two seconds before that
 * scrape until it ended ({@code published_at} is the marking statement's time, a little before the
 * commit after which the meter counts it), and those parked from ten seconds before ({@code
 * parked_at} is the transaction's start, which can precede its commit by a metadata wait).
 */
final class RelayMetricsCheck {

  private static final long PUBLISHED_MARGIN_MILLIS = 2_000;
  private static final long PARKED_MARGIN_MILLIS = 10_000;

  private RelayMetricsCheck() {}

  static MetricsAgreement check(
      Connection connection,
      Collection<RelayScrape> lastScrapes,
      Map<String, Long> ended,
      List<RelayScrape> finalScrapes,
      List<DeliveredRecord> records)
      throws SQLException {
    long marked = count(connection, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL");
    long parked = count(connection, "SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL");
    long gauge = finalScrapes.isEmpty() ? -1 : finalScrapes.get(0).parkedGauge();
    MetricsAgreement.RowsInWindow window =
        new MetricsAgreement.RowsInWindow() {
          @Override
          public long published(long from, long to) {
            return between("published_at", from - PUBLISHED_MARGIN_MILLIS, to);
          }

          @Override
          public long parked(long from, long to) {
            return between("parked_at", from - PARKED_MARGIN_MILLIS, to);
          }

          private long between(String column, long from, long to) {
            try {
              return OutboxTruth.markedBetween(connection, column, from, to);
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    return MetricsAgreement.of(lastScrapes, ended, marked, parked, records.size(), gauge, window);
  }
}
