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
 * Feeds {@link MetricsAgreement} from the table and the topic. Published rows are those neither
 * waiting (the {@code outbox_pending} view, whatever {@code outbox.published} writes to a published
 * row) nor parked. The tolerance for an incarnation that ended counts what it may have published
 * after its last scrape: the records produced from two seconds before that scrape until it ended (a
 * record's timestamp is its send, a little before the commit after which the meter counts it), and
 * the rows parked from ten seconds before ({@code parked_at} is the transaction's start, which can
 * precede its commit by a metadata wait).
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
    long parked = count(connection, "SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL");
    long published =
        count(connection, "SELECT count(*) FROM outbox")
            - count(connection, "SELECT count(*) FROM outbox_pending")
            - parked;
    long sentAgain = records.size() - records.stream().map(DeliveredRecord::id).distinct().count();
    long gauge = finalScrapes.isEmpty() ? -1 : finalScrapes.get(0).parkedGauge();
    MetricsAgreement.RowsInWindow window =
        new MetricsAgreement.RowsInWindow() {
          @Override
          public long published(long from, long to) {
            long since = from - PUBLISHED_MARGIN_MILLIS;
            return records.stream()
                .filter(r -> r.timestampMillis() > since && r.timestampMillis() <= to)
                .count();
          }

          @Override
          public long parked(long from, long to) {
            try {
              return OutboxTruth.parkedBetween(connection, from - PARKED_MARGIN_MILLIS, to);
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    return MetricsAgreement.of(
        lastScrapes, ended, published, parked, records.size(), sentAgain, gauge, window);
  }
}
