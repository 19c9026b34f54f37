package io.github.outboxrelay.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryAccountingTest {

  @Test
  void everyCommittedEventDeliveredIsNeitherLostNorInvented() {
    Events events = new Events().commit("a", "k1", "Placed").commit("b", "k2", "Placed");
    events.deliver("a", "b", "a");

    DeliveryAccounting accounting = DeliveryAccounting.of(events.committed(), events.records());

    assertThat(accounting.lost()).isEmpty();
    assertThat(accounting.invented()).isEmpty();
    assertThat(accounting.distinctDelivered()).isEqualTo(2);
    assertThat(accounting.records()).isEqualTo(3);
  }

  @Test
  void aCommittedEventMissingFromTheTopicIsLost() {
    Events events = new Events().commit("a", "k1", "Placed").commit("b", "k2", "Placed");
    events.deliver("a");

    DeliveryAccounting accounting = DeliveryAccounting.of(events.committed(), events.records());

    assertThat(accounting.lost()).extracting(CommittedEvent::id).containsExactly("b");
  }

  @Test
  void aRecordWhoseIdWasNeverCommittedIsInvented() {
    Events events = new Events().commit("a", "k1", "Placed");
    events.deliver("a", "ghost");

    DeliveryAccounting accounting = DeliveryAccounting.of(events.committed(), events.records());

    assertThat(accounting.invented()).extracting(DeliveredRecord::id).containsExactly("ghost");
    assertThat(accounting.lost()).isEmpty();
  }

  @Test
  void aParkedEventIsListedNotLost() {
    Events events = new Events().commit("a", "k1", "Placed").commitParked("p", "poison-1");
    events.deliver("a");

    DeliveryAccounting accounting = DeliveryAccounting.of(events.committed(), events.records());

    assertThat(accounting.lost()).isEmpty();
    assertThat(accounting.parked()).extracting(CommittedEvent::id).containsExactly("p");
  }
}
