package io.github.outboxrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each relay setting is documented once, in the README's "Relay configuration" table, and the code
 * and the shipped {@code config/relay.yml} are held to it: every key the code reads is in the table
 * with the default the code has, every key in the table exists, and the shipped file sets no key to
 * anything but its documented default (a placeholder's default counts).
 */
class ConfigurationReferenceTest {

  private static final ObjectMapper JSON = Jackson.newObjectMapper();
  private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z.]+)` \\| ([^|]+) \\|");
  private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{[A-Z_]+(?::-(.*))?}$");

  /** Every key the code reads, with its default as the README writes it. */
  private static Map<String, String> codeDefaults() {
    Map<String, String> defaults = new TreeMap<>();
    DatabaseFactory database = new DatabaseFactory();
    flatten("database", JSON.valueToTree(database), defaults);
    defaults.put("database.password", "empty"); // write-only: never serialized, never logged
    flatten("kafka", JSON.valueToTree(new KafkaFactory()), defaults);
    flatten("outbox", JSON.valueToTree(new RelayFactory()), defaults);
    flatten("admin", JSON.valueToTree(new AdminFactory()), defaults);
    defaults.put("admin.password", "empty"); // write-only, as the database's
    return defaults;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject() && !value.isEmpty()) {
        flatten(key, value, into);
      } else if (value.isArray()) {
        List<String> items = new ArrayList<>();
        value.forEach(item -> items.add("`" + item.asText() + "`"));
        into.put(key, String.join(", ", items));
      } else {
        into.put(key, value.isNull() ? "(required)" : value.isObject() ? "`{}`" : value.asText());
      }
    }
  }

  /** The README's table, one entry per key; "a / b" rows give two. */
  private static Map<String, String> documented() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String section =
        readme.substring(
            readme.indexOf("### Relay configuration"), readme.indexOf("Producer defaults:"));
    Map<String, String> documented = new TreeMap<>();
    for (String line : section.split("\n")) {
      String[] cells = line.split(" \\| ");
      if (!line.startsWith("| `") || cells.length < 3 || cells[0].contains("*")) {
        continue;
      }
      String[] keys = cells[0].substring(2).split(" / ");
      String[] values = cells[1].split(" / ");
      for (int i = 0; i < keys.length; i++) {
        documented.put(keys[i].replace("`", "").trim(), values[i].trim());
      }
    }
    return documented;
  }

  @Test
  void everyKeyIsDocumentedOnceWithTheDefaultTheCodeHas() throws IOException {
    Map<String, String> documented = documented();
    Map<String, String> code = codeDefaults();

    assertThat(documented.keySet()).isEqualTo(code.keySet());
    code.forEach(
        (key, value) ->
            assertThat(sameValue(documented.get(key), value))
                .as("%s: README says %s, the code %s", key, documented.get(key), value)
                .isTrue());
  }

  @Test
  void theShippedFileSetsOnlyDocumentedKeysToTheirDefaults() throws IOException {
    Map<String, String> documented = documented();
    JsonNode shipped =
        new ObjectMapper(new YAMLFactory()).readTree(Path.of("../config/relay.yml").toFile());
    Map<String, String> set = new TreeMap<>();
    for (String section : new String[] {"database", "kafka", "outbox"}) {
      flatten(section, shipped.path(section), set);
    }

    set.forEach(
        (key, value) -> {
          assertThat(documented).as("a key the README documents").containsKey(key);
          Matcher placeholder = PLACEHOLDER.matcher(value);
          String effective = placeholder.matches() ? placeholder.group(1) : value;
          if (!documented.get(key).equals("(required)")) {
            assertThat(sameValue(documented.get(key), effective == null ? "" : effective))
                .as("%s: shipped %s, documented %s", key, value, documented.get(key))
                .isTrue();
          }
        });
  }

  @Test
  void theStartUpSummaryShowsEverySetting() {
    RelayConfiguration configuration = new RelayConfiguration();
    DatabaseFactory database = new DatabaseFactory();
    database.setUrl("jdbc:postgresql://db:5432/shop");
    database.setUser("relay");
    configuration.setDatabase(database);
    KafkaFactory kafka = new KafkaFactory();
    kafka.setBootstrapServers("kafka:9092");
    configuration.setKafka(kafka);

    String summary = ConfigurationSummary.of(configuration);

    codeDefaults().keySet().stream()
        .filter(key -> !key.startsWith("kafka."))
        .map(key -> key.substring(key.lastIndexOf('.') + 1))
        .forEach(name -> assertThat(summary).as("the summary names %s", name).contains(name));
  }

  private static String normal(String value) {
    String plain = value.replace("`", "").trim();
    return plain.equals("empty") ? "" : plain;
  }

  /** Durations compare by length ("1m" and "1 minute"), "empty" is "", the rest as written. */
  private static boolean sameValue(String documented, String actual) {
    String doc = normal(documented);
    String value = normal(actual);
    if (doc.equals(value)) {
      return true;
    }
    try {
      return Duration.parse(doc).toNanoseconds() == Duration.parse(value).toNanoseconds();
    } catch (IllegalArgumentException notADuration) {
      return false;
    }
  }
}
