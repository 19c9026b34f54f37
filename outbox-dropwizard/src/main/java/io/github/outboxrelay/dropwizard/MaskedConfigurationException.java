package io.github.outboxrelay.dropwizard;

import io.dropwizard.configuration.ConfigurationException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A configuration error that would have shown a value taken from the environment (a password put
 * into a number's place, say: Jackson's message quotes the value), with that value masked and
 * without the cause that quotes it. The key and the rule broken remain.
 */
final class MaskedConfigurationException extends ConfigurationException {

  private static final long serialVersionUID = 1L;

  private MaskedConfigurationException(String path, Collection<String> errors) {
    super(path, errors);
  }

  /** {@code failure} itself when it shows none of {@code values}, else the masked copy. */
  static ConfigurationException ifShowing(
      ConfigurationException failure, String path, Collection<String> values) {
    List<String> shown = values.stream().filter(value -> shows(failure, value)).toList();
    if (shown.isEmpty()) {
      return failure;
    }
    // Longest first, so a value inside another is not unmasked by a partial replacement.
    List<String> longestFirst =
        shown.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    List<String> errors =
        failure.getErrors().stream().map(error -> masked(error, longestFirst)).toList();
    return new MaskedConfigurationException(path, errors);
  }

  private static boolean shows(Throwable failure, String value) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(value)) {
        return true;
      }
    }
    return false;
  }

  private static String masked(String error, List<String> values) {
    String masked = error;
    for (String value : values) {
      masked = masked.replace(value, JdbcUrls.MASK);
    }
    return masked;
  }
}
