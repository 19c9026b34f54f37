package io.github.outboxrelay.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Checks the jar users get: failsafe runs after {@code package} and puts the built jar, not {@code
 * target/classes}, on the class path.
 */
class WriterJarIT {

  @Test
  void jarNamesItsAutomaticModule() throws IOException, URISyntaxException {
    Path jar =
        Path.of(OutboxWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(jar.getFileName().toString()).endsWith(".jar");

    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("io.github.outboxrelay.writer");
    }
    // What the module system makes of it: a legal name, taken from the manifest.
    assertThat(ModuleFinder.of(jar).findAll())
        .singleElement()
        .extracting(ModuleReference::descriptor)
        .satisfies(module -> assertThat(module.name()).isEqualTo("io.github.outboxrelay.writer"));
  }
}
