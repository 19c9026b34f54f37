package io.github.outboxrelay.testing.locale;

import java.util.Locale;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a test pretend to run on a host with another default locale ({@link #set}) and puts the
 * JVM's default back after each test, so later tests in the same JVM are not affected.
 */
public final class HostLocale implements BeforeEachCallback, AfterEachCallback {

  private Locale original;

  @Override
  public void beforeEach(ExtensionContext context) {
    original = Locale.getDefault();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Locale.setDefault(original);
  }

  /** Sets the default locale from a language tag, such as {@code tr-TR} or {@code ar-EG}. */
  public void set(String languageTag) {
    Locale.setDefault(Locale.forLanguageTag(languageTag));
  }
}
