package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

  @Test
  void carriesVersion7AndTheRfcVariant() {
    UUID id = UuidV7.next();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void startsWithTheCurrentUnixMilliseconds() {
    long before = System.currentTimeMillis();
    UUID id = UuidV7.next();
    long after = System.currentTimeMillis();

    long millis = id.getMostSignificantBits() >>> 16;
    // The generator may borrow a few future milliseconds when ids are made faster than 4096/ms.
    assertThat(millis).isBetween(before, after + 100);
  }

  @Test
  void idsFromOneGeneratorAreUniqueAndStrictlyIncreasing() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(UuidV7.next());
    }

    Set<UUID> unique = new HashSet<>(ids);
    assertThat(unique).hasSize(ids.size());
    for (int i = 1; i < ids.size(); i++) {
      // Compare as unsigned 128-bit numbers, as PostgreSQL orders uuid values.
      int order =
          Long.compareUnsigned(
              ids.get(i).getMostSignificantBits(), ids.get(i - 1).getMostSignificantBits());
      assertThat(order).as("id %d after id %d", i, i - 1).isPositive();
    }
  }
}
