package io.github.outboxrelay.relay;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.github.outboxrelay.relay.kafka.ProducerSettings;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Checks {@code kafka.producer} overrides while the configuration is validated, so the {@code
 * check} command and start-up both refuse, by key, an override that weakens delivery.
 */
@Documented
@Retention(RUNTIME)
@Target(TYPE)
@Constraint(validatedBy = SafeProducerOverrides.Validator.class)
public @interface SafeProducerOverrides {

  String message() default "has producer overrides that weaken delivery";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Runs {@link ProducerSettings#effective} and reports its message. */
  final class Validator implements ConstraintValidator<SafeProducerOverrides, KafkaFactory> {

    @Override
    public boolean isValid(KafkaFactory kafka, ConstraintValidatorContext context) {
      if (kafka == null || kafka.getProducer() == null || kafka.getBootstrapServers() == null) {
        return true; // reported by @NotNull / @NotBlank
      }
      try {
        ProducerSettings.effective(
            kafka.getBootstrapServers(),
            kafka.getProducer(),
            kafka.isAllowUnsafeProducerOverrides());
        return true;
      } catch (IllegalArgumentException e) {
        context.disableDefaultConstraintViolation();
        context
            .buildConstraintViolationWithTemplate(escape(e.getMessage()))
            .addPropertyNode("producer")
            .addConstraintViolation();
        return false;
      }
    }

    /** The message is literal text, not a template: user values must not be interpolated. */
    private static String escape(String message) {
      return message
          .replace("\\", "\\\\")
          .replace("{", "\\{")
          .replace("}", "\\}")
          .replace("$", "\\$");
    }
  }
}
