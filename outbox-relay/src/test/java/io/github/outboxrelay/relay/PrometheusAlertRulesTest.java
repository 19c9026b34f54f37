package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The example alert rules the README shows are valid Prometheus rules (promtool check rules), fire
 * when they should and stay quiet when they should not (promtool test rules, against the example
 * series of {@code alerts_test.yml}), and use only metrics the relay exposes.
 */
class PrometheusAlertRulesTest {

  private static final Path RULES = Path.of("../docs/prometheus/alerts.yml");
  private static final Path RULE_TESTS = Path.of("../docs/prometheus/alerts_test.yml");

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS: 5 rules found");
  }

  @Test
  void theRulesFireOnlyWhenTheirExampleSeriesSaySo() throws Exception {
    assertThat(promtool("test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
  }

  /** Runs promtool, which must succeed; its output. */
  private static String promtool(String... arguments) throws Exception {
    Optional<String> promtool = PrometheusMetricsIT.promtool();
    if (System.getenv("OUTBOX_REQUIRE_PROMTOOL") != null) {
      assertThat(promtool).as("promtool, which CI requires (PROMTOOL or PATH)").isPresent();
    }
    Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed here");
    List<String> command = new ArrayList<>(List.of(promtool.get()));
    command.addAll(List.of(arguments));
    Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void theRulesUseOnlyMetricsTheRelayExposes() throws Exception {
    String rules = Files.readString(RULES);
    assertThat(rules)
        .contains(
            "outbox_oldest_unpublished_age_seconds",
            "outbox_parked_events",
            "outbox_held_events",
            "outbox_relay_lease_holder");
    java.util.regex.Matcher names =
        java.util.regex.Pattern.compile("\\b(outbox_[a-z_]+)").matcher(rules);
    while (names.find()) {
      assertThat(names.group(1))
          .isIn(
              "outbox_oldest_unpublished_age_seconds",
              "outbox_parked_events",
              "outbox_held_events",
              "outbox_relay_lease_holder",
              "outbox_backlog_events",
              "outbox_paused",
              "outbox_relay_published_events_total",
              "outbox_relay_delivery_failures_total",
              "outbox_relay_batch_duration_seconds");
    }
  }
}
