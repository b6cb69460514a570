package dev.basenft.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.Set;

/**
 * The rules of docs/architecture.md#modules, written once over a root package so the same rule checks both the real
 * code ({@code dev.basenft}) and the planted violations ({@code dev.basenft.planted}) that prove each rule can fail.
 */
final class ArchitectureRules {

    /** Calls that read the wall clock or randomness: core must take an InstantSource or an IdGenerator instead. */
    private static final Map<String, Set<String>> CLOCK_AND_RANDOMNESS = Map.of(
            "java.lang.System", Set.of("currentTimeMillis"),
            "java.lang.Math", Set.of("random"),
            "java.time.Instant", Set.of("now"),
            "java.time.Clock", Set.of("systemUTC", "systemDefaultZone"),
            "java.time.InstantSource", Set.of("system"),
            "java.time.LocalDateTime", Set.of("now"),
            "java.time.OffsetDateTime", Set.of("now"),
            "java.time.ZonedDateTime", Set.of("now"),
            "java.time.LocalDate", Set.of("now"),
            "java.util.UUID", Set.of("randomUUID"));

    private ArchitectureRules() {
    }

    static ArchRule coreDependsOnlyOnTheJdkAndJakartaInject(String root) {
        return classes().that().resideInAPackage(root + ".core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".core..", "java..", "jakarta.inject..")
                .as("core depends on nothing but the JDK and jakarta.inject")
                .because("embedders take core without dragging in any library");
    }

    static ArchRule adaptersDoNotDependOnEachOther(String root) {
        return slices().matching(root + ".adapter.(*)..").should().notDependOnEachOther()
                .as("adapters never depend on each other")
                .because("each adapter can be swapped or left out on its own");
    }

    static ArchRule adaptersReachCoreOnlyThroughPortsAndModel(String root) {
        return noClasses().that().resideInAPackage(root + ".adapter..")
                .should().dependOnClassesThat(resideInAPackage(root + ".core..")
                        .and(not(resideInAnyPackage(root + ".core.port..", root + ".core.model.."))))
                .as("adapters reach core only through its ports and model")
                .because("the use cases' implementations are core's business, not the adapters'");
    }

    static ArchRule inPortsSpeakOnlyInPortAndModelTypes(String root) {
        return classes().that().resideInAPackage(root + ".core.port.in..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".core.port.in..", root + ".core.model..",
                        "java..")
                .as("in-ports speak only in in-port and model types")
                .because("a caller of a use case must not need the out-ports behind it");
    }

    static ArchRule httpAdapterReachesCoreOnlyThroughInPortsAndModel(String root) {
        String idempotencyRecords = root + ".core.port.out.IdempotencyRecords";
        DescribedPredicate<JavaClass> allowedOutPort = DescribedPredicate.describe("the idempotency records port",
                c -> c.getName().equals(idempotencyRecords) || c.getName().startsWith(idempotencyRecords + "$"));
        return noClasses().that().resideInAPackage(root + ".adapter.http..")
                .should().dependOnClassesThat(resideInAPackage(root + ".core..")
                        .and(not(resideInAnyPackage(root + ".core.port.in..", root + ".core.model..")))
                        .and(not(allowedOutPort)))
                .as("the HTTP adapter reaches core only through port.in and the model (and the idempotency records port)")
                .because("requests are use cases; storing a request's first answer is the adapter's own concern");
    }

    static ArchRule coreNeverReadsTheWallClockOrRandomness(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().callCodeUnitWhere(readsTheWallClockOrRandomness())
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
                .as("nothing in core reads the wall clock or randomness directly")
                .because("time comes from an injected InstantSource and ids from an IdGenerator, so tests control both");
    }

    static ArchRule nothingOutsideCoreUsesCoreInternals(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".core..")
                .should().dependOnClassesThat().resideInAPackage(root + ".core.internal..")
                .as("nothing outside core uses core's internal package")
                .because("internal code is not part of the published API and may change at any time");
    }

    private static DescribedPredicate<JavaCall<?>> readsTheWallClockOrRandomness() {
        return DescribedPredicate.describe("reads the wall clock or randomness", call ->
                CLOCK_AND_RANDOMNESS.getOrDefault(call.getTargetOwner().getName(), Set.of()).contains(call.getName()));
    }
}
