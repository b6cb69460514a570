package dev.basenft.adapter.base.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basenft.core.model.Require;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled contract as {@code contracts/build.mjs} committed it into this jar: bytecode to deploy (the {@code dev} command
 * and the tests deploy the implementation and the factory from here) and the ABI's signatures.
 *
 * @param contractName e.g. {@code BaseNftCollection}; never null
 * @param bytecode creation code as {@code 0x…} hex; never null
 * @param deployedBytecode runtime code as {@code 0x…} hex; never null
 * @param compiler the solc version; never null
 * @param sourceHash sha256 over every compiled source unit; never null
 * @param abiSignatures every function, event and error as {@code "function name(type,…)"}, {@code "event …"},
 *        {@code "error …"}, with canonical types; never null
 */
public record ContractArtifact(String contractName, String bytecode, String deployedBytecode, String compiler,
        String sourceHash, Set<String> abiSignatures) {

    private static final String RESOURCE_DIR = "/dev/basenft/adapter/base/rpc/contracts/";

    public ContractArtifact {
        Require.notNull("contractName", contractName);
        Require.notNull("bytecode", bytecode);
        Require.notNull("deployedBytecode", deployedBytecode);
        Require.notNull("compiler", compiler);
        Require.notNull("sourceHash", sourceHash);
        abiSignatures = Set.copyOf(Require.notNull("abiSignatures", abiSignatures));
        if (!bytecode.startsWith("0x") || bytecode.length() < 4) {
            throw new IllegalArgumentException("bytecode of " + contractName + " must be 0x-prefixed hex");
        }
    }

    /** The collection implementation every campaign's clone delegates to. */
    public static ContractArtifact collection() {
        return load("BaseNftCollection");
    }

    /** The factory creators deploy their collection through. */
    public static ContractArtifact factory() {
        return load("BaseNftFactory");
    }

    /**
     * Reads {@code <name>.json} from this jar.
     *
     * @throws IllegalArgumentException when there is no such artifact
     * @throws UncheckedIOException when it cannot be read
     */
    public static ContractArtifact load(String name) {
        Require.notNull("name", name);
        String resource = RESOURCE_DIR + name + ".json";
        try (InputStream in = ContractArtifact.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no contract artifact " + resource + " on the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Set<String> signatures = new LinkedHashSet<>();
            for (JsonNode entry : root.path("abi")) {
                String type = entry.path("type").asText();
                if (type.equals("function") || type.equals("event") || type.equals("error")) {
                    signatures.add(type + " " + entry.path("name").asText() + "(" + String.join(",",
                            canonicalTypes(entry.path("inputs"))) + ")");
                }
            }
            return new ContractArtifact(root.path("contractName").asText(), root.path("bytecode").asText(),
                    root.path("deployedBytecode").asText(), root.path("compiler").asText(), root.path("sourceHash").asText(),
                    signatures);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract artifact " + resource, e);
        }
    }

    private static List<String> canonicalTypes(JsonNode params) {
        List<String> types = new ArrayList<>();
        for (JsonNode param : params) {
            String type = param.path("type").asText();
            if (type.startsWith("tuple")) {
                // A struct is its components in parentheses, keeping any array suffix: tuple[] -> (uint256,address)[].
                type = "(" + String.join(",", canonicalTypes(param.path("components"))) + ")" + type.substring(5);
            }
            types.add(type);
        }
        return types;
    }
}
