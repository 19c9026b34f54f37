package io.github.outboxrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldsTest {

  private static OutboxRow row(long seq, String topic, String key) {
    return new OutboxRow(seq, null, "order", key, "T", topic, new byte[0], Map.of(), 0, null);
  }

  @Test
  void aRowOfAHeldKeyWrittenAfterItsParkedEventWaitsBehindIt() {
    Holds holds = new Holds(Map.of(new OrderingKey("orders", "a"), 10L), Set.of());

    assertThat(holds.holder(row(11, "orders", "a"))).isEqualTo(10);
    assertThat(holds.holder(row(9, "orders", "a"))).as("written before it").isEqualTo(Holds.FREE);
    assertThat(holds.holder(row(11, "orders", "b"))).as("another key").isEqualTo(Holds.FREE);
    assertThat(holds.holder(row(11, "refunds", "a"))).as("another topic").isEqualTo(Holds.FREE);
  }

  @Test
  void nothingIsHeldWhenNothingIsParkedOrPaused() {
    assertThat(Holds.NONE.isEmpty()).isTrue();
    assertThat(Holds.NONE.everythingPaused()).isFalse();
    assertThat(Holds.NONE.holder(row(1, "orders", "a"))).isEqualTo(Holds.FREE);
  }

  @Test
  void rowsWithoutAKeyAreHeldBehindAParkedRowWithoutOne() {
    Holds holds = new Holds(Collections.singletonMap(new OrderingKey("t", null), 3L), Set.of());

    assertThat(holds.holder(row(4, "t", null))).isEqualTo(3);
  }

  @Test
  void theRowsOfAPausedTopicWaitForItAndAParkedEventOfTheirKeyComesFirst() {
    Holds holds = new Holds(Map.of(new OrderingKey("orders", "a"), 10L), Set.of("orders"));

    assertThat(holds.holder(row(5, "orders", "b"))).isEqualTo(Holds.PAUSED_TOPIC);
    assertThat(holds.holder(row(11, "orders", "a"))).isEqualTo(10);
    assertThat(holds.holder(row(5, "refunds", "b"))).isEqualTo(Holds.FREE);
    assertThat(holds.everythingPaused()).isFalse();
    assertThat(new Holds(Map.of(), Set.of(Holds.EVERYTHING)).everythingPaused()).isTrue();
  }
}
