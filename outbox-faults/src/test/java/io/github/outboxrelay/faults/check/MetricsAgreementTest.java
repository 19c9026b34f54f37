package io.github.outboxrelay.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsAgreementTest {

  private static final MetricsAgreement.RowsInWindow FIVE_MARKED_AFTER_LAST_SCRAPE = published(5);
  private static final MetricsAgreement.RowsInWindow NOTHING_AFTER_LAST_SCRAPE = published(0);

  /** A window in which {@code count} events were published and none parked. */
  private static MetricsAgreement.RowsInWindow published(long count) {
    return new MetricsAgreement.RowsInWindow() {
      @Override
      public long published(long from, long to) {
        return count;
      }

      @Override
      public long parked(long from, long to) {
        return 0;
      }
    };
  }

  @Test
  void aKilledIncarnationMayMissTheMarksAfterItsLastScrape() {
    List<RelayScrape> scrapes =
        List.of(
            new RelayScrape("relay-a", 1, 1_000, 95, 0, 0, false, 0),
            new RelayScrape("relay-b", 2, 9_000, 100, 1, 0, true, 1));

    MetricsAgreement agreement =
        MetricsAgreement.of(
            scrapes,
            Map.of("relay-a#1", 1_500L),
            200,
            1,
            210,
            10,
            1,
            FIVE_MARKED_AFTER_LAST_SCRAPE);

    assertThat(agreement.publishedAgrees()).isTrue();
    assertThat(agreement.parkedAgrees()).isTrue();
    assertThat(agreement.gaugeAgrees()).isTrue();
  }

  @Test
  void metersShortOfTheMarkedRowsBeyondTheToleranceDisagree() {
    List<RelayScrape> scrapes = List.of(new RelayScrape("relay-a", 1, 1_000, 90, 0, 0, true, 0));

    MetricsAgreement agreement =
        MetricsAgreement.of(scrapes, Map.of(), 100, 0, 120, 20, 0, FIVE_MARKED_AFTER_LAST_SCRAPE);

    assertThat(agreement.publishedAgrees()).isFalse();
  }

  @Test
  void metersAboveTheRecordsInTheTopicDisagree() {
    List<RelayScrape> scrapes = List.of(new RelayScrape("relay-a", 1, 1_000, 130, 0, 0, true, 0));

    MetricsAgreement agreement =
        MetricsAgreement.of(scrapes, Map.of(), 130, 0, 120, 0, 0, FIVE_MARKED_AFTER_LAST_SCRAPE);

    assertThat(agreement.publishedAgrees()).isFalse();
  }

  @Test
  void metersAboveThePublishedRowsByCopiesSentAgainAgree() {
    // A relay that took over from a stored position sent the last batches of the one before again.
    List<RelayScrape> scrapes =
        List.of(
            new RelayScrape("relay-a", 1, 1_000, 60, 0, 0, false, 0),
            new RelayScrape("relay-b", 2, 9_000, 48, 0, 0, true, 0));

    MetricsAgreement agreement =
        MetricsAgreement.of(
            scrapes, Map.of("relay-a#1", 1_000L), 100, 0, 110, 10, 0, NOTHING_AFTER_LAST_SCRAPE);

    assertThat(agreement.publishedAgrees()).isTrue();
  }

  @Test
  void metersAboveThePublishedRowsBeyondTheCopiesSentAgainDisagree() {
    List<RelayScrape> scrapes = List.of(new RelayScrape("relay-a", 1, 1_000, 108, 0, 0, true, 0));

    MetricsAgreement agreement =
        MetricsAgreement.of(scrapes, Map.of(), 100, 0, 110, 2, 0, NOTHING_AFTER_LAST_SCRAPE);

    assertThat(agreement.publishedAgrees()).isFalse();
  }
}
