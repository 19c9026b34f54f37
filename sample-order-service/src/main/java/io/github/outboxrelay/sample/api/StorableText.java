package io.github.outboxrelay.sample.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;

/**
 * Text that PostgreSQL and UTF-8 hold unchanged: no NUL (PostgreSQL text cannot store it; the
 * insert fails) and no unpaired UTF-16 surrogate (no UTF-8 form; the driver stores {@code ?}). JSON
 * can carry both as {@code \u0000} and {@code \ud800} escapes. {@code null} is valid: say
 * {@code @NotNull} or {@code @NotBlank} for that.
 */
@Documented
@Constraint(validatedBy = StorableText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface StorableText {

  String message() default "must not contain NUL characters or unpaired UTF-16 surrogates";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks one value. */
  public final class Validator implements ConstraintValidator<StorableText, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || isStorable(value);
    }

    /** No NUL, and no unpaired surrogate (which a UTF-8 encoder refuses). */
    public static boolean isStorable(String value) {
      // Encoders are stateful, so one per call.
      return value.indexOf('\0') < 0 && StandardCharsets.UTF_8.newEncoder().canEncode(value);
    }
  }
}
