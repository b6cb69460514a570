package dev.basenft.adapter.base.rpc.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.ContractArtifact;
import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.ContractsToolchain;
import dev.basenft.adapter.base.rpc.testing.ContractsToolchain.ProcessResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled artifacts committed in this module's resources are what the committed Solidity sources compile to, and the
 * signatures the adapter encodes by hand exist in them.
 */
class ContractArtifactsDriftTest {

    private static final String ARTIFACTS = "adapter-base-rpc/src/main/resources/dev/basenft/adapter/base/rpc/contracts";

    @Test
    void committedArtifactsMatchAFreshCompileOfTheSources() {
        ProcessResult check = ContractsToolchain.node(ContractsToolchain.contractsDir(), List.of("build.mjs", "--check"));
        assertThat(check.exitCode()).as("node contracts/build.mjs --check:\n" + check.output()).isZero();
        assertThat(check.output()).contains("2 artifacts up to date");
    }

    /** The drift check itself can fail: on a copy of the tree with one source changed, it exits 1 naming the artifact. */
    @Test
    void theDriftCheckFailsWhenASourceChangesWithoutRebuilding(@TempDir Path copy) throws IOException {
        Path root = ContractsToolchain.root();
        Path contracts = copy.resolve("contracts");
        Files.createDirectories(contracts.resolve("src"));
        for (String file : List.of("build.mjs", "package.json")) {
            Files.copy(root.resolve("contracts").resolve(file), contracts.resolve(file));
        }
        Path nodeModules = Files.createSymbolicLink(contracts.resolve("node_modules"), root.resolve("contracts/node_modules"));
        Files.copy(root.resolve("contracts/src/BaseNftFactory.sol"), contracts.resolve("src/BaseNftFactory.sol"));
        String collection = Files.readString(root.resolve("contracts/src/BaseNftCollection.sol"), StandardCharsets.UTF_8);
        String changed = collection.replace("return _minted + 1;", "return _minted + 2;");
        assertThat(changed).as("the planted change applies").isNotEqualTo(collection);
        Files.writeString(contracts.resolve("src/BaseNftCollection.sol"), changed, StandardCharsets.UTF_8);
        Path artifacts = copy.resolve(ARTIFACTS);
        Files.createDirectories(artifacts);
        for (String file : List.of("BaseNftCollection.json", "BaseNftFactory.json")) {
            Files.copy(root.resolve(ARTIFACTS).resolve(file), artifacts.resolve(file));
        }

        ProcessResult check;
        try {
            check = ContractsToolchain.node(contracts, List.of("build.mjs", "--check"));
        } finally {
            Files.delete(nodeModules); // only the link: the temp dir's cleanup must not walk into the real install
        }

        assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
        // The factory imports the collection, so its bytecode and source hash drift with it.
        assertThat(check.output()).contains("BaseNftCollection.json differs from a fresh compile")
                .contains("BaseNftFactory.json differs from a fresh compile")
                .contains("contract artifacts are out of date");
    }

    @Test
    void everySignatureTheAdapterEncodesIsInTheCommittedAbis() {
        Set<String> abi = new HashSet<>(ContractArtifact.collection().abiSignatures());
        abi.addAll(ContractArtifact.factory().abiSignatures());
        assertThat(abi).containsAll(Abi.USED_SIGNATURES);
    }

    @Test
    void artifactsCarryBytecodeAndTheirProvenance() {
        for (ContractArtifact artifact : List.of(ContractArtifact.collection(), ContractArtifact.factory())) {
            assertThat(artifact.bytecode()).startsWith("0x").hasSizeGreaterThan(100);
            assertThat(artifact.deployedBytecode()).startsWith("0x").hasSizeGreaterThan(100);
            assertThat(artifact.compiler()).isEqualTo("0.8.37");
            assertThat(artifact.sourceHash()).matches("[0-9a-f]{64}");
        }
        assertThat(ContractArtifact.collection().contractName()).isEqualTo("BaseNftCollection");
        assertThat(ContractArtifact.factory().contractName()).isEqualTo("BaseNftFactory");
    }
}
