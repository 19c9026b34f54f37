package io.github.outboxrelay.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

  private static Events placedThenCancelled() {
    return new Events()
        .commit("p1", "order-1", "OrderPlaced")
        .commit("p2", "order-2", "OrderPlaced")
        .commit("c1", "order-1", "OrderCancelled");
  }

  @Test
  void eventsOfEachKeyInWriteOrderPass() {
    Events events = placedThenCancelled().deliver("p2", "p1", "c1");

    KeyOrder order = KeyOrder.check(events.committed(), events.records());

    assertThat(order.firstDelivery()).isEmpty();
    assertThat(order.lastCopy()).isEmpty();
  }

  @Test
  void aLaterEventDeliveredFirstIsAFirstDeliveryViolation() {
    Events events = placedThenCancelled().deliver("c1", "p1", "p2");

    KeyOrder order = KeyOrder.check(events.committed(), events.records());

    assertThat(order.firstDelivery())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.orderKey()).isEqualTo(Events.TOPIC + "/order-1");
              assertThat(violation.lateType()).isEqualTo("OrderPlaced");
              assertThat(violation.aheadType()).isEqualTo("OrderCancelled");
            });
  }

  @Test
  void aReorderedFirstDeliveryFollowedByTheLaterEventAgainKeepsTheLastCopyRule() {
    // As the README allows for retries: Cancelled, then Placed, then Cancelled again.
    Events events = placedThenCancelled().deliver("c1", "p1", "c1", "p2");

    KeyOrder order = KeyOrder.check(events.committed(), events.records());

    assertThat(order.firstDelivery()).hasSize(1);
    assertThat(order.lastCopy()).isEmpty();
  }

  @Test
  void anEarlierEventRedeliveredLastBreaksTheLastCopyRule() {
    Events events = placedThenCancelled().deliver("p1", "c1", "p1", "p2");

    KeyOrder order = KeyOrder.check(events.committed(), events.records());

    assertThat(order.firstDelivery()).isEmpty();
    assertThat(order.lastCopy()).singleElement().extracting(OrderViolation::lateSeq).isEqualTo(1L);
  }

  @Test
  void aKeyOnTwoPartitionsIsReported() {
    Events events = placedThenCancelled();
    List<DeliveredRecord> records =
        List.of(
            new DeliveredRecord(Events.TOPIC, 0, 0, 1, "order-1", "p1", "t"),
            new DeliveredRecord(Events.TOPIC, 1, 0, 2, "order-1", "c1", "t"));

    KeyOrder order = KeyOrder.check(events.committed(), records);

    assertThat(order.keysOnSeveralPartitions()).containsExactly(Events.TOPIC + "/order-1");
  }
}
