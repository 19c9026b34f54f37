package io.github.outboxrelay.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    Spread spread = Spread.of(List.of(30.0, 10.0, 20.0));

    assertThat(spread.median()).isEqualTo(20.0);
    assertThat(spread.min()).isEqualTo(10.0);
    assertThat(spread.max()).isEqualTo(30.0);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void unknownValuesAreLeftOut() {
    Spread spread = Spread.of(List.of(Double.NaN, 5.0, 7.0));

    assertThat(spread.count()).isEqualTo(2);
    assertThat(spread.median()).isEqualTo(6.0);
  }

  @Test
  void formatsMedianWithMinToMax() {
    assertThat(Spread.of(List.of(1200.0, 1000.0, 1500.0)).format("%,.0f"))
        .isEqualTo("1,200 (1,000–1,500)");
    assertThat(Spread.of(List.of(0.5)).format("%.2f")).isEqualTo("0.50");
    assertThat(Spread.of(List.of(Double.NaN)).format("%.2f")).isEqualTo("n/a");
  }
}
