package io.github.outboxrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldKeysTest {

  private static OutboxRow row(long seq, String topic, String key) {
    return new OutboxRow(seq, null, "order", key, "T", topic, new byte[0], Map.of(), 0, null);
  }

  @Test
  void aRowOfAHeldKeyWrittenAfterItsParkedEventWaitsBehindIt() {
    HeldKeys held = new HeldKeys(Map.of(new OrderingKey("orders", "a"), 10L));

    assertThat(held.parkedBefore(row(11, "orders", "a"))).isEqualTo(10);
    assertThat(held.parkedBefore(row(9, "orders", "a"))).as("written before it").isZero();
    assertThat(held.parkedBefore(row(11, "orders", "b"))).as("another key").isZero();
    assertThat(held.parkedBefore(row(11, "refunds", "a"))).as("another topic").isZero();
  }

  @Test
  void nothingIsHeldWhenNothingIsParked() {
    assertThat(HeldKeys.NONE.isEmpty()).isTrue();
    assertThat(HeldKeys.NONE.parkedBefore(row(1, "orders", "a"))).isZero();
  }

  @Test
  void rowsWithoutAKeyAreHeldBehindAParkedRowWithoutOne() {
    HeldKeys held =
        new HeldKeys(java.util.Collections.singletonMap(new OrderingKey("t", null), 3L));

    assertThat(held.parkedBefore(row(4, "t", null))).isEqualTo(3);
  }
}
