package dev.basenft.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Checks every rule of docs/architecture.md#modules on the production classes of all modules, and proves each rule able
 * to fail by running it on the planted violations under {@code dev.basenft.planted} (test fixtures of this module).
 */
class ArchitectureTest {

    private static final String REAL = "dev.basenft";
    private static final String PLANTED = "dev.basenft.planted";

    private static JavaClasses production;
    private static JavaClasses planted;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(REAL);
        planted = new ClassFileImporter().importPackages(PLANTED);
    }

    @Test
    @DisplayName("the rules see the code of every module (an empty import would pass every rule)")
    void productionImportHoldsCore() {
        assertThat(production.contain("dev.basenft.core.service.BatchProcessor")).isTrue();
        assertThat(production.contain("dev.basenft.core.port.out.Chain")).isTrue();
        assertThat(production.contain("dev.basenft.adapter.postgres.PostgresStorage")).isTrue();
        assertThat(production.contain("dev.basenft.adapter.redis.RedisDistributionQueue")).isTrue();
        assertThat(production.contain("dev.basenft.adapter.base.rpc.BaseRpcChain")).isTrue();
        assertThat(production.contain("dev.basenft.adapter.http.javalin.HttpApi")).isTrue();
        assertThat(production.contain("dev.basenft.app.config.Settings")).isTrue();
        assertThat(planted.contain("dev.basenft.planted.core.service.ReadsTheClock")).isTrue();
    }

    @Test
    void coreDependsOnlyOnTheJdkAndJakartaInject() {
        holdsAndCanFail(ArchitectureRules::coreDependsOnlyOnTheJdkAndJakartaInject, "UsesALibrary");
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        holdsAndCanFail(ArchitectureRules::adaptersDoNotDependOnEachOther, "AlphaAdapter");
    }

    @Test
    void adaptersReachCoreOnlyThroughPortsAndModel() {
        holdsAndCanFail(ArchitectureRules::adaptersReachCoreOnlyThroughPortsAndModel, "ReadsTheClock");
    }

    @Test
    void inPortsSpeakOnlyInPortAndModelTypes() {
        holdsAndCanFail(ArchitectureRules::inPortsSpeakOnlyInPortAndModelTypes, "ReturnsAnOutPortType");
        assertThatThrownBy(() -> ArchitectureRules.inPortsSpeakOnlyInPortAndModelTypes(PLANTED).check(planted))
                .hasMessageNotContaining("Total");
    }

    @Test
    void httpAdapterReachesCoreOnlyThroughInPortsAndModel() {
        holdsAndCanFail(ArchitectureRules::httpAdapterReachesCoreOnlyThroughInPortsAndModel, "Store");
        assertThatThrownBy(() -> ArchitectureRules.httpAdapterReachesCoreOnlyThroughInPortsAndModel(PLANTED).check(planted))
                .as("the in-port, the model and the idempotency records stay allowed: every violation is the out-port's")
                .satisfies(e -> assertThat(e.getMessage().lines().skip(1))
                        .isNotEmpty()
                        .allSatisfy(line -> assertThat(line)
                                .containsAnyOf("Store.load()", "type <dev.basenft.planted.core.port.out.Store>")));
    }

    @Test
    void coreNeverReadsTheWallClockOrRandomness() {
        holdsAndCanFail(ArchitectureRules::coreNeverReadsTheWallClockOrRandomness, "Instant.now()");
        assertThatThrownBy(() -> ArchitectureRules.coreNeverReadsTheWallClockOrRandomness(PLANTED).check(planted))
                .hasMessageContaining("java.util.Random")
                .hasMessageContaining("UUID.randomUUID()");
    }

    @Test
    void nothingOutsideCoreUsesCoreInternals() {
        holdsAndCanFail(ArchitectureRules::nothingOutsideCoreUsesCoreInternals, "UsesCoreInternals");
    }

    private static void holdsAndCanFail(Function<String, ArchRule> rule, String expectedInViolation) {
        rule.apply(REAL).check(production);
        assertThatThrownBy(() -> rule.apply(PLANTED).check(planted))
                .as("the rule must reject the planted violation")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(expectedInViolation);
    }
}
