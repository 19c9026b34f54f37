package io.github.outboxrelay.sample;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sample's packages show its layers, as in dropwizard-example: {@code api} is the JSON the
 * service speaks, {@code core} the shop's rules and the ports they need, {@code db} implements
 * them; {@code resources}, {@code errors}, {@code consumer} and the application use them from
 * above. No package reaches back up.
 */
class PackageLayersTest {

  private static final String SAMPLE = "io.github.outboxrelay.sample";
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(SAMPLE);

  /** What uses the shop from above: the application, the HTTP side, the shipping consumer. */
  private static final List<String> ABOVE =
      List.of(
          SAMPLE,
          SAMPLE + ".resources..",
          SAMPLE + ".errors..",
          SAMPLE + ".consumer..",
          SAMPLE + ".health..",
          SAMPLE + ".demo..");

  private static final String CORE = SAMPLE + ".core..";
  private static final String DB = SAMPLE + ".db..";

  @Test
  void packagesHaveNoCycles() {
    slices().matching(SAMPLE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void theApiDependsOnNoOtherPackage() {
    assertThatNoneIn(SAMPLE + ".api..", uses(ABOVE, CORE, DB));
  }

  @Test
  void coreUsesNoAdapterNorWhatWiresIt() {
    assertThatNoneIn(CORE, uses(ABOVE, DB));
  }

  @Test
  void theDatabaseAdapterDoesNotKnowWhoUsesIt() {
    assertThatNoneIn(DB, uses(ABOVE));
  }

  @Test
  void onlyTheApplicationKnowsTheApplication() {
    noClasses()
        .that()
        .resideOutsideOfPackage(SAMPLE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(SAMPLE)
        .check(CLASSES);
  }

  private static String[] uses(List<String> packages, String... more) {
    return Stream.concat(packages.stream(), Stream.of(more)).toArray(String[]::new);
  }

  private static void assertThatNoneIn(String layer, String... packages) {
    noClasses()
        .that()
        .resideInAPackage(layer)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages)
        .check(CLASSES);
  }
}
