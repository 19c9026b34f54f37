package io.github.outboxrelay.relay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The relay's packages show its layers: {@code core} is vocabulary, the adapters ({@code db},
 * {@code kafka}) use only it, the {@code loop} drives the adapters, and {@code health}, {@code
 * tasks} and the application wire or watch them from above. No package reaches back up.
 */
class PackageLayersTest {

  private static final String RELAY = "io.github.outboxrelay.relay";
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(RELAY);

  @Test
  void packagesHaveNoCycles() {
    slices().matching(RELAY + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void coreIsVocabularyOnly() {
    noClasses()
        .that()
        .resideInAPackage(RELAY + ".core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            RELAY,
            RELAY + ".db..",
            RELAY + ".kafka..",
            RELAY + ".loop..",
            RELAY + ".health..",
            RELAY + ".tasks..",
            RELAY + ".admin..")
        .check(CLASSES);
  }

  @Test
  void adaptersDependOnTheVocabularyNotOnEachOtherOrOnWhatDrivesThem() {
    noClasses()
        .that()
        .resideInAPackage(RELAY + ".db..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            RELAY,
            RELAY + ".kafka..",
            RELAY + ".loop..",
            RELAY + ".health..",
            RELAY + ".tasks..",
            RELAY + ".admin..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage(RELAY + ".kafka..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            RELAY,
            RELAY + ".db..",
            RELAY + ".loop..",
            RELAY + ".health..",
            RELAY + ".tasks..",
            RELAY + ".admin..")
        .check(CLASSES);
  }

  @Test
  void theLoopDoesNotKnowWhoWiresOrWatchesIt() {
    noClasses()
        .that()
        .resideInAPackage(RELAY + ".loop..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(RELAY, RELAY + ".health..", RELAY + ".tasks..", RELAY + ".admin..")
        .check(CLASSES);
  }
}
