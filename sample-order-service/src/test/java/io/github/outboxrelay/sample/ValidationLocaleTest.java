package io.github.outboxrelay.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.setup.Bootstrap;
import io.github.outboxrelay.sample.api.PlaceOrderRequest;
import io.github.outboxrelay.testing.locale.HostLocale;
import jakarta.validation.ConstraintViolation;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Violation messages are part of the API: on a Turkish or Arabic host they must still read
 * "customerId must not be blank", not Hibernate Validator's translation or Arabic-Indic digits.
 */
class ValidationLocaleTest {

  @RegisterExtension final HostLocale host = new HostLocale();

  @ParameterizedTest
  @ValueSource(strings = {"tr-TR", "ar-EG", "de-DE"})
  void messagesAreEnglishWhateverTheDefaultLocale(String tag) {
    host.set(tag);
    Bootstrap<OrderServiceConfiguration> bootstrap = new Bootstrap<>(new OrderServiceApplication());
    new OrderServiceApplication().initialize(bootstrap);

    assertThat(
            bootstrap
                .getValidatorFactory()
                .getValidator()
                .validate(new PlaceOrderRequest("", "widget", 1001))
                .stream()
                .map(ConstraintViolation::getMessage))
        .containsExactlyInAnyOrder(
            "must not be blank",
            "may contain only letters, digits and . _ : -",
            "must be less than or equal to 1000");
  }
}
