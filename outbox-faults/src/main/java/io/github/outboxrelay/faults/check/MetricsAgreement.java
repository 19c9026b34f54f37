package io.github.outboxrelay.faults.check;

import java.util.Collection;
import java.util.Map;

/**
 * Whether the relays' own meters agree with the table and the topic. The published meters of all
 * incarnations count each publication Kafka acknowledged: at least every published row (neither
 * waiting nor parked), at most those plus the records that arrived more than once, and never more
 * than the records in the topic. An incarnation that ended (SIGKILL or SIGTERM) may have published
 * rows after its last scrape (scrapes are a second apart): those are the tolerance, counted by the
 * caller from the records' timestamps.
 */
public record MetricsAgreement(
    long publishedByMeters,
    long publishedRows,
    long recordsInTopic,
    long recordsSentAgain,
    long publishedTolerance,
    long parkedByMeters,
    long parkedRows,
    long parkedTolerance,
    long parkedGauge,
    boolean publishedAgrees,
    boolean parkedAgrees,
    boolean gaugeAgrees) {

  /** Events published (records sent) or rows parked in a window, by their timestamps. */
  public interface RowsInWindow {
    long published(long fromEpochMillis, long toEpochMillis);

    long parked(long fromEpochMillis, long toEpochMillis);
  }

  /**
   * @param lastScrapes the last scrape of every incarnation
   * @param ended the incarnations that are gone, with the moment they were seen gone (or killed)
   * @param finalParkedGauge the {@code outbox.parked} gauge of a relay running at the end
   */
  public static MetricsAgreement of(
      Collection<RelayScrape> lastScrapes,
      Map<String, Long> ended,
      long publishedRows,
      long parkedRows,
      long recordsInTopic,
      long recordsSentAgain,
      long finalParkedGauge,
      RowsInWindow window) {
    long published = 0;
    long parked = 0;
    long publishedTolerance = 0;
    long parkedTolerance = 0;
    for (RelayScrape scrape : lastScrapes) {
      published += scrape.published();
      parked += scrape.parked();
      Long endedAt = ended.get(scrape.incarnation());
      if (endedAt != null) {
        publishedTolerance += window.published(scrape.epochMillis(), endedAt);
        parkedTolerance += window.parked(scrape.epochMillis(), endedAt);
      }
    }
    long publishedGap = publishedRows - published;
    long parkedGap = parkedRows - parked;
    return new MetricsAgreement(
        published,
        publishedRows,
        recordsInTopic,
        recordsSentAgain,
        publishedTolerance,
        parked,
        parkedRows,
        parkedTolerance,
        finalParkedGauge,
        published <= recordsInTopic
            && -publishedGap <= recordsSentAgain
            && publishedGap <= publishedTolerance,
        parkedGap >= 0 && parkedGap <= parkedTolerance,
        finalParkedGauge == parkedRows);
  }
}
