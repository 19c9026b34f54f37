package io.github.outboxrelay.dropwizard;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationFactoryFactory;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.lookup.StringLookup;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} placeholders in a service's YAML configuration, read
 * from the environment <em>after</em> the YAML is parsed: each string value of the parsed tree is
 * substituted, so what a variable holds becomes part of a value and is never read as YAML.
 *
 * <p>Dropwizard's own {@code SubstitutingSourceProvider} substitutes into the YAML text before
 * parsing, so a password starting with {@code {} or {@code @}, or holding {@code ": "} or {@code
 * " #"}, changes the document or breaks it, and the parse error then prints the line, password
 * included. Quoting the placeholders in the YAML only moves the problem to the quote and backslash
 * characters. Here any string a variable can hold (quotes, backslashes, newlines, {@code ${…}},
 * unicode) arrives unchanged, and a parse error can only show the placeholder.
 *
 * <p>Same syntax as Dropwizard's {@link EnvironmentVariableSubstitutor} (strict: a variable without
 * a default that is unset fails start-up, naming it; {@code $${X}} is a literal {@code ${X}}), with
 * two differences: a placeholder stands for (part of) a string value, not for YAML structure or
 * keys; and comments are not substituted. Values are taken literally: a variable holding {@code
 * ${HOME}} gives those seven characters. Numbers and booleans given by a placeholder still bind, as
 * strings do with {@code dw.*} overrides.
 */
public final class EnvironmentPlaceholders<T> implements ConfigurationFactoryFactory<T> {

  private final StringLookup environment;

  /** Placeholders read from {@link System#getenv(String)}. */
  public EnvironmentPlaceholders() {
    this(System::getenv);
  }

  /** Placeholders read from {@code environment}; tests pass a map's {@code get}. */
  public EnvironmentPlaceholders(StringLookup environment) {
    this.environment = environment;
  }

  /** Makes {@code bootstrap} read its configuration this way; call it in {@code initialize}. */
  public static <C extends Configuration> void install(Bootstrap<C> bootstrap) {
    bootstrap.setConfigurationFactoryFactory(new EnvironmentPlaceholders<>());
  }

  @Override
  public ConfigurationFactory<T> create(
      Class<T> klass, Validator validator, ObjectMapper objectMapper, String propertyPrefix) {
    ObjectMapper mapper =
        objectMapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return new YamlConfigurationFactory<>(klass, validator, mapper, propertyPrefix) {
      @Override
      protected T build(JsonNode node, String path) throws IOException, ConfigurationException {
        Set<String> values = new HashSet<>();
        substituted(node, "", substitutor(values));
        try {
          // dw.* overrides are applied by super, after substitution: they stay literal, as before.
          return super.build(node, path);
        } catch (ConfigurationException e) {
          throw MaskedConfigurationException.ifShowing(e, path, values);
        }
      }
    };
  }

  /** Substitutes from the environment, collecting the values it substituted into {@code values}. */
  private EnvironmentVariableSubstitutor substitutor(Set<String> values) {
    EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(true);
    substitutor.setVariableResolver(
        name -> {
          String value = environment.lookup(name);
          if (value != null && !value.isEmpty()) {
            values.add(value);
          }
          return value;
        });
    substitutor.setDisableSubstitutionInValues(true);
    return substitutor;
  }

  /** The node with its strings substituted; {@code path} names the key in an error. */
  private static JsonNode substituted(
      JsonNode node, String path, EnvironmentVariableSubstitutor substitutor) {
    if (node.isTextual()) {
      try {
        return TextNode.valueOf(substitutor.replace(node.textValue()));
      } catch (UndefinedEnvironmentVariableException e) {
        throw new UndefinedEnvironmentVariableException(path + ": " + e.getMessage());
      }
    }
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        field.setValue(substituted(field.getValue(), key, substitutor));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, substituted(array.get(i), path + "[" + i + "]", substitutor));
      }
    }
    return node;
  }
}
