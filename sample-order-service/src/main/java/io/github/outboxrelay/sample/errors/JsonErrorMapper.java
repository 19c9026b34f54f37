package io.github.outboxrelay.sample.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.github.outboxrelay.sample.api.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;

/**
 * Malformed or ill-typed JSON answers 400 with what is wrong and where, instead of Dropwizard's
 * generic "Unable to process JSON". Never echoes more of the body than the offending field name.
 * Two mappers, because Jersey picks the mapper of the closest exception type: these are closer than
 * Dropwizard's own for {@code JsonProcessingException}.
 */
public final class JsonErrorMapper {

  private JsonErrorMapper() {}

  /** Syntax errors. */
  public static final class Parse implements ExceptionMapper<JsonParseException> {
    @Override
    public Response toResponse(JsonParseException exception) {
      return badRequest(exception);
    }
  }

  /** Wrong types, missing bodies, unknown fields. */
  public static final class Mapping implements ExceptionMapper<JsonMappingException> {
    @Override
    public Response toResponse(JsonMappingException exception) {
      return badRequest(exception);
    }
  }

  /** Jackson's stream limits: nesting depth, number length, name length. */
  public static final class Limits implements ExceptionMapper<StreamConstraintsException> {
    @Override
    public Response toResponse(StreamConstraintsException exception) {
      return Response.status(400)
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(
              new ErrorMessage(
                  400, "request body exceeds a JSON limit (nesting depth, number or name length)"))
          .build();
    }
  }

  static Response badRequest(JsonProcessingException exception) {
    return Response.status(400)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(400, describe(exception)))
        .build();
  }

  static String describe(JsonProcessingException exception) {
    String original = String.valueOf(exception.getOriginalMessage());
    if (exception instanceof JsonParseException && original.startsWith("Duplicate field '")) {
      // Jackson's words, with the field name; the last value does not quietly win.
      return "duplicate field "
          + quoted(original.substring("Duplicate field '".length(), original.length() - 1));
    }
    if (original.startsWith("Trailing token")) {
      return "request body has more after its JSON object";
    }
    if (exception instanceof JsonParseException) {
      return "request body is not valid JSON (line "
          + exception.getLocation().getLineNr()
          + ", column "
          + exception.getLocation().getColumnNr()
          + ")";
    }
    if (exception instanceof UnrecognizedPropertyException unknown) {
      return "unknown field "
          + quoted(unknown.getPropertyName())
          + "; known fields: "
          + unknown.getKnownPropertyIds().stream()
              .map(String::valueOf)
              .sorted()
              .collect(Collectors.joining(", "));
    }
    if (exception instanceof JsonMappingException mapping) {
      String field = path(mapping);
      if (exception instanceof InvalidFormatException invalid) {
        return field + " must be " + typeName(invalid.getTargetType());
      }
      if (exception instanceof MismatchedInputException mismatched
          && mismatched.getTargetType() != null) {
        return (field.isEmpty() ? "request body" : field)
            + " must be "
            + typeName(mismatched.getTargetType());
      }
      if (exception.getCause() instanceof InputCoercionException outOfRange) {
        return field + " must be " + typeName(outOfRange.getTargetType());
      }
      return (field.isEmpty() ? "request body" : field) + " has the wrong type or value";
    }
    return "request body cannot be read as JSON";
  }

  /** A client's field name, cut short: the message must not echo the body back. */
  private static String quoted(String name) {
    return "'" + (name.length() <= 64 ? name : name.substring(0, 64) + "…") + "'";
  }

  private static String path(JsonMappingException exception) {
    return exception.getPath().stream()
        .map(
            reference ->
                reference.getFieldName() != null
                    ? reference.getFieldName()
                    : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number within range";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isRecord() || !type.isPrimitive()) {
      return "a JSON object";
    }
    return "a " + type.getSimpleName();
  }
}
