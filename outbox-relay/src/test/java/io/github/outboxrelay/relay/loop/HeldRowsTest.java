package io.github.outboxrelay.relay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.outboxrelay.relay.core.HeldRow;
import io.github.outboxrelay.relay.core.OutboxRow;
import io.github.outboxrelay.relay.core.ParkedEvent;
import io.github.outboxrelay.relay.kafka.BatchOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldRowsTest {

  private static OutboxRow row(long seq, String key) {
    return new OutboxRow(seq, null, "order", key, "T", "orders", new byte[0], Map.of(), 0, null);
  }

  private static ParkedEvent parked(long seq, String key) {
    return new ParkedEvent(seq, null, "orders", key, "T", 3, "refused", Instant.EPOCH);
  }

  @Test
  void theRowsOfAKeyAfterAnEventParkedByTheBatchAreHeldUnlessMarked() {
    List<OutboxRow> rows = List.of(row(1, "a"), row(2, "a"), row(3, "b"), row(4, "a"), row(5, "a"));
    BatchOutcome outcome = new BatchOutcome(new long[] {1, 3, 5}, List.of(), 0, 1, List.of());

    assertThat(HeldRows.of(rows, outcome, List.of(parked(2, "a"))))
        .as("row 1 came before it, row 3 is another key, row 5 was marked")
        .containsExactly(new HeldRow(4, 2, "orders"));
  }

  @Test
  void whatThePublisherHeldIsHeldAsItIs() {
    List<HeldRow> byPublisher = List.of(new HeldRow(7, 2, "orders"));
    BatchOutcome outcome = new BatchOutcome(new long[0], List.of(), 0, 0, byPublisher);

    assertThat(HeldRows.of(List.of(row(7, "a")), outcome, List.of())).isEqualTo(byPublisher);
    assertThat(HeldRows.of(List.of(row(7, "a")), outcome, List.of(parked(6, "a"))))
        .as("not held twice")
        .containsExactly(new HeldRow(7, 2, "orders"));
  }
}
