package io.github.outboxrelay.benchmark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The median of a figure over the rounds, with its minimum and maximum. NaN when none is known. */
record Spread(double median, double min, double max, int count) {

  static Spread of(List<Double> values) {
    double[] known =
        values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
    if (known.length == 0) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    Arrays.sort(known);
    int middle = known.length / 2;
    double median = known.length % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
    return new Spread(median, known[0], known[known.length - 1], known.length);
  }

  /**
   * {@code median (min–max)} with the given number format, e.g. {@code "%,.0f"}; only the median
   * when there was one value; {@code n/a} when there was none.
   */
  String format(String number) {
    if (count == 0) {
      return "n/a";
    }
    String m = String.format(Locale.ROOT, number, median);
    return count == 1
        ? m
        : m
            + " ("
            + String.format(Locale.ROOT, number, min)
            + "–"
            + String.format(Locale.ROOT, number, max)
            + ")";
  }
}
