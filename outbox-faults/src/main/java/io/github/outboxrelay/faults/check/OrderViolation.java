package io.github.outboxrelay.faults.check;

import java.util.Locale;

/**
 * An event of one key that arrived after a later-written event of the same key had already arrived:
 * {@code late} was written first (lower seq) but sits at a higher offset than {@code ahead}.
 */
public record OrderViolation(
    String orderKey,
    long lateSeq,
    String lateType,
    long lateOffset,
    long aheadSeq,
    String aheadType,
    long aheadOffset) {

  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s: %s (seq %d) at offset %d arrived after %s (seq %d) at offset %d",
        orderKey,
        lateType,
        lateSeq,
        lateOffset,
        aheadType,
        aheadSeq,
        aheadOffset);
  }
}
