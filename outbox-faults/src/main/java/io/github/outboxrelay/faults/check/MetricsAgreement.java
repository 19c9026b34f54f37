package io.github.outboxrelay.faults.check;

import java.util.Collection;
import java.util.Map;

/**
 * Whether the relays' own meters agree with the table and the topic. Each row is marked published
 * once, by one relay incarnation, so the published meters of all incarnations add up to the rows
 * marked; a record the meters count was acknowledged by Kafka, so they never exceed the records in
 * the topic. An incarnation that ended (SIGKILL or SIGTERM) may have marked rows after its last
 * scrape (scrapes are a second apart): those rows are the tolerance, counted by the caller from the
 * rows' own timestamps.
 */
public record MetricsAgreement(
    long publishedByMeters,
    long markedRows,
    long recordsInTopic,
    long publishedTolerance,
    long parkedByMeters,
    long parkedRows,
    long parkedTolerance,
    long parkedGauge,
    boolean publishedAgrees,
    boolean parkedAgrees,
    boolean gaugeAgrees) {

  /** Rows marked (or parked) in a window, by the table's timestamps. */
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
      long markedRows,
      long parkedRows,
      long recordsInTopic,
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
    long publishedGap = markedRows - published;
    long parkedGap = parkedRows - parked;
    return new MetricsAgreement(
        published,
        markedRows,
        recordsInTopic,
        publishedTolerance,
        parked,
        parkedRows,
        parkedTolerance,
        finalParkedGauge,
        published <= recordsInTopic && publishedGap >= 0 && publishedGap <= publishedTolerance,
        parkedGap >= 0 && parkedGap <= parkedTolerance,
        finalParkedGauge == parkedRows);
  }
}
