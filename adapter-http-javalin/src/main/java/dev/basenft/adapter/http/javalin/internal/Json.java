package dev.basenft.adapter.http.javalin.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The API's JSON: one strictly configured Jackson mapper, and reading that turns every binding failure into a 400 problem
 * naming the field. Strict means: unknown fields, duplicate keys, trailing content, and every scalar coercion (a number
 * where a string belongs, {@code "5"} where a number belongs, {@code null} for a primitive) are errors, not guesses.
 * Thread-safe.
 */
public final class Json {

    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    /** The shared mapper; configured once, safe for concurrent use. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serializes a response body. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // Our own view records always serialize; failing here is a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a JSON object into {@code type}.
     *
     * @throws ProblemException 400 naming the field for any syntax or binding problem
     */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the request body is empty; expected a JSON object").exception();
        }
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw problem(e, fieldsOf(type)).exception();
        }
        if (value == null) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the request body is null; expected a JSON object").exception();
        }
        return value;
    }

    /** The 400 problem for a Jackson failure, naming the field (and listing the allowed ones when it was unknown). */
    public static Problem problem(IOException e, List<String> allowedFields) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = pointer(unknown);
            return Problem.of(Problem.Kind.BAD_REQUEST, "unknown field '" + unknown.getPropertyName() + "'"
                            + (allowedFields.isEmpty() ? "" : "; allowed fields: " + String.join(", ", allowedFields)),
                    List.of(Problem.Error.field(field, "unknown field")));
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = pointer(mismatch);
            String expected = describe(mismatch.getTargetType());
            return Problem.of(Problem.Kind.BAD_REQUEST, "field '" + field.substring(1) + "' must be " + expected,
                    List.of(Problem.Error.field(field, "must be " + expected)));
        }
        if (e instanceof MismatchedInputException mismatch) {
            return Problem.of(Problem.Kind.BAD_REQUEST, "the request body must be "
                    + describe(mismatch.getTargetType()) + firstLine(mismatch.getOriginalMessage()));
        }
        if (e instanceof StreamReadException syntax) {
            JsonLocation at = syntax.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return Problem.of(Problem.Kind.BAD_REQUEST, "the request body is not valid JSON" + where + ": "
                    + firstLine(syntax.getOriginalMessage()));
        }
        if (e instanceof JsonMappingException mapping) {
            return Problem.of(Problem.Kind.BAD_REQUEST, "the request body does not fit: "
                    + firstLine(mapping.getOriginalMessage()));
        }
        return Problem.of(Problem.Kind.BAD_REQUEST, "the request body could not be read: " + e.getClass().getSimpleName());
    }

    /** The JSON Pointer of the value at fault, e.g. {@code /name} or {@code /2/fid}. */
    static String pointer(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex()))
                .map(part -> "/" + part.replace("~", "~0").replace("/", "~1"))
                .collect(Collectors.joining());
    }

    private static List<String> fieldsOf(Class<?> type) {
        if (!type.isRecord()) {
            return List.of();
        }
        return java.util.Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static ObjectMapper create() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        // Jackson's defaults turn 123 into "123" for a String field and "5" into 5 for an int: refuse both.
        for (LogicalType target : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString)) {
                if (!sameShape(target, shape)) {
                    mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
        return mapper;
    }

    private static boolean sameShape(LogicalType target, CoercionInputShape shape) {
        return switch (target) {
            case Textual -> shape == CoercionInputShape.String || shape == CoercionInputShape.EmptyString;
            case Integer -> shape == CoercionInputShape.Integer;
            case Float -> shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer;
            case Boolean -> shape == CoercionInputShape.Boolean;
            default -> false;
        };
    }
}
