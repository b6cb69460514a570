package dev.basenft.adapter.base.rpc.testing;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** ABI encoding for the calls the tests make beyond what the adapter needs. Stateless. */
public final class Calls {

    private Calls() {
    }

    public static String encode(String name, Type<?>... inputs) {
        return FunctionEncoder.encode(new Function(name, List.of(inputs), List.of()));
    }

    public static Uint256 uint(long value) {
        return new Uint256(BigInteger.valueOf(value));
    }

    public static Bytes32 bytes32(String hex) {
        return new Bytes32(Numeric.hexStringToByteArray(hex));
    }

    public static org.web3j.abi.datatypes.Address address(dev.basenft.core.model.Address address) {
        return new org.web3j.abi.datatypes.Address(address.lowerCase());
    }

    public static Utf8String text(String value) {
        return new Utf8String(value);
    }

    /** Decodes an ABI-encoded {@code string} return value. */
    public static String decodeString(String result) {
        Function shape = new Function("x", List.of(), List.of(new TypeReference<Utf8String>() { }));
        return (String) FunctionReturnDecoder.decode(result, shape.getOutputParameters()).getFirst().getValue();
    }

    /** Decodes a {@code uint256} return value. */
    public static BigInteger decodeUint(String result) {
        return Numeric.toBigInt(result);
    }

    /** Decodes the non-indexed {@code string} fields of an event's data. */
    public static List<String> decodeStrings(String data, int count) {
        List<TypeReference<?>> types = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            types.add(new TypeReference<Utf8String>() { });
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Type> values = FunctionReturnDecoder.decode(data, (List) types);
        return values.stream().map(v -> (String) v.getValue()).toList();
    }

    /** Revert data of a custom error: selector plus ABI-encoded arguments. */
    public static String errorData(String signature, Type<?>... args) {
        String selector = dev.basenft.adapter.base.rpc.internal.Abi.selector(signature);
        return selector + FunctionEncoder.encodeConstructor(List.of(args));
    }
}
