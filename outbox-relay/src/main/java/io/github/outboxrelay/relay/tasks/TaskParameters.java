package io.github.outboxrelay.relay.tasks;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads admin task query parameters with errors that name the parameter. */
final class TaskParameters {

  private TaskParameters() {}

  static Optional<String> single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new IllegalArgumentException(name + " may be given once");
    }
    return values.stream().findFirst();
  }

  static int positiveInt(Map<String, List<String>> parameters, String name, int fallback) {
    Optional<String> value = single(parameters, name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a positive integer, not '" + value.get() + "'");
  }

  static Optional<UUID> uuid(Map<String, List<String>> parameters, String name) {
    return single(parameters, name)
        .map(
            value -> {
              try {
                return UUID.fromString(value);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be a UUID, not '" + value + "'");
              }
            });
  }

  static boolean flag(Map<String, List<String>> parameters, String name) {
    return single(parameters, name).map(Boolean::parseBoolean).orElse(false);
  }
}
