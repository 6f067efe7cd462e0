package io.baystack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.baystack.support.FastTier;

/**
 * The dependency rules of /work/shared/design/architecture.md, held against the compiled main classes:
 * a new arrow the wrong way fails the build (fast tier). Domain means the packages bay, baymodel,
 * quota and activity themselves; their {@code .rest} subpackages are Resources.
 */
@FastTier
class ArchitectureTest {

    private static final String[] DOMAIN = { "io.baystack.bay", "io.baystack.baymodel", "io.baystack.quota",
            "io.baystack.activity", "io.baystack.certificate" };
    private static final String[] DOMAIN_ALL = { "io.baystack.bay..", "io.baystack.baymodel..", "io.baystack.quota..",
            "io.baystack.activity..", "io.baystack.certificate.." };
    private static final String[] WORKERS = { "io.baystack.conductor..", "io.baystack.notify..",
            "io.baystack.function.." };
    private static final String[] RESOURCES = { "io.baystack..rest..", "io.baystack.cluster..", "io.baystack.stats..",
            "io.baystack.mservice..", "io.baystack.function.." };
    private static final String[] INFRA = { "io.baystack.db..", "io.baystack.config..", "io.baystack.observability..",
            "io.baystack.trace..", "io.baystack.runtime..", "io.baystack.secrets.." };
    private static final int MAX_LINES = 300;

    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        // the compiled main classes only (a classpath scan for the package costs seconds)
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target/classes"));
        assertThat(main.contain("io.baystack.bay.BayService")).as("main classes imported").isTrue();
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("io.baystack.(*)..").should().beFreeOfCycles().check(main);
    }

    /** Rule 1: the domain owns the hand-off port; it never reaches the workers that implement it. */
    @Test
    void domainNeverReachesWorkers() {
        noClasses().that().resideInAnyPackage(DOMAIN).should().dependOnClassesThat().resideInAnyPackage(WORKERS)
                .check(main);
    }

    /** Rule 2: what the domain needs from Heat comes through the workers. */
    @Test
    void domainNeverTalksToHeat() {
        noClasses().that().resideInAnyPackage(DOMAIN).should().dependOnClassesThat()
                .resideInAPackage("io.baystack.heat..").check(main);
    }

    /** Rule 3: services take domain requests, not REST DTOs; no resource is reached from the domain. */
    @Test
    void domainNeverImportsResources() {
        noClasses().that().resideInAnyPackage(DOMAIN).should().dependOnClassesThat().resideInAnyPackage(RESOURCES)
                .check(main);
    }

    /** Rule 4: Keystone decides no HTTP error kinds; ErrorMapper maps its exception. */
    @Test
    void keystoneNeverImportsApi() {
        noClasses().that().resideInAPackage("io.baystack.keystone..").should().dependOnClassesThat()
                .resideInAPackage("io.baystack.api..").check(main);
    }

    /** Rule 5: infrastructure is told counts; it never queries the domain. */
    @Test
    void infraNeverQueriesTheDomain() {
        noClasses().that().resideInAnyPackage(INFRA).should().dependOnClassesThat().resideInAnyPackage(DOMAIN_ALL)
                .check(main);
    }

    /** Rule 6: infrastructure never reaches into the workers. */
    @Test
    void infraNeverReachesWorkers() {
        noClasses().that().resideInAnyPackage(INFRA).should().dependOnClassesThat().resideInAnyPackage(WORKERS)
                .check(main);
    }

    /** Rule 7: the HTTP plumbing knows no bay, model, quota or activity. */
    @Test
    void apiKnowsNoBay() {
        noClasses().that().resideInAPackage("io.baystack.api..").should().dependOnClassesThat()
                .resideInAnyPackage(DOMAIN_ALL).orShould().dependOnClassesThat().resideInAPackage("io.baystack.cluster..")
                .check(main);
    }

    /** Classes stay small enough to read whole (STYLE.md: under ~300 lines). */
    @Test
    void noMainSourceFileExceedsMaxLines() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            tooLong = files.filter(f -> f.toString().endsWith(".java")).filter(f -> lines(f) > MAX_LINES)
                    .map(f -> f + " (" + lines(f) + " lines)").toList();
        }
        assertThat(tooLong).as("main sources over " + MAX_LINES + " lines").isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}
