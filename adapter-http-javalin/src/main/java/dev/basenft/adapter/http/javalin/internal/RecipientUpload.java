package dev.basenft.adapter.http.javalin.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a recipient upload, streamed from the request body: a {@code text/csv} body ({@code address[,fid]} per line, an
 * optional {@code address[,fid]} header line) or a JSON array whose entries are address strings or
 * {@code {"address": …, "fid": …}} objects.
 *
 * <p>Every line is checked, and every problem is collected with its line number, so one answer lists them all: not plain
 * ASCII (lookalike digits and invisible characters are refused here, with the line, before {@code Address.parse}), cells a
 * spreadsheet would run as a formula ({@code = + - @}, tab, CR first), malformed, zero or mis-checksummed addresses, FIDs that
 * are not positive integers, extra columns or fields. Repeated addresses are kept once and reported with the line they repeat.
 * Nothing is stored here: the caller stores {@link Parsed#recipients()} only when {@link Parsed#errorCount()} is 0.
 *
 * <p>Memory: the valid recipients are kept until the upload is judged (all or nothing), bounded by the body limit.
 * Not thread-safe; one upload per instance.
 */
public final class RecipientUpload {

    /** How many errors and duplicates a response lists; the counts cover all of them. */
    public static final int MAX_LISTED = 100;
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private final List<NewRecipient> recipients = new ArrayList<>();
    private final Map<Address, Long> firstLine = new HashMap<>();
    private final List<Duplicate> duplicates = new ArrayList<>();
    private final List<Problem.Error> errors = new ArrayList<>();
    private long duplicateCount;
    private long errorCount;
    private long rows;

    private RecipientUpload() {
    }

    /**
     * A repeated address.
     *
     * @param line the repeating line (CSV) or entry (JSON, 1-based)
     * @param address the address
     * @param firstLine where it first appeared
     */
    public record Duplicate(long line, String address, long firstLine) {
    }

    /**
     * The judged upload.
     *
     * @param recipients the valid, distinct recipients in upload order
     * @param rows recipient lines or entries seen (header and blank lines not counted)
     * @param duplicates the first {@value #MAX_LISTED} repeats
     * @param duplicateCount all repeats
     * @param errors the first {@value #MAX_LISTED} problems, by line
     * @param errorCount all problems
     */
    public record Parsed(List<NewRecipient> recipients, long rows, List<Duplicate> duplicates, long duplicateCount,
            List<Problem.Error> errors, long errorCount) {
    }

    /**
     * Parses a CSV upload.
     *
     * @throws ProblemException 400 when the body is not UTF-8
     */
    public static Parsed csv(InputStream body) {
        RecipientUpload upload = new RecipientUpload();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long lineNumber = 0;
        boolean headerPossible = true;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, decoder))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (headerPossible) {
                    headerPossible = false;
                    if (upload.header(lineNumber, line)) {
                        continue;
                    }
                }
                upload.csvLine(lineNumber, line);
            }
        } catch (CharacterCodingException e) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the CSV is not valid UTF-8 (after line " + lineNumber + ")",
                    List.of(Problem.Error.line(lineNumber + 1, null, "not valid UTF-8"))).exception();
        } catch (IOException e) {
            throw new RequestBody.UnreadableBodyException(e);
        }
        return upload.result();
    }

    /**
     * Parses a JSON array upload.
     *
     * @throws ProblemException 400 when the body is not a well-formed JSON array
     */
    public static Parsed json(InputStream body) {
        RecipientUpload upload = new RecipientUpload();
        try (JsonParser parser = Json.mapper().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw Problem.of(Problem.Kind.BAD_REQUEST, "the body must be a JSON array of recipients: address strings "
                        + "or {\"address\": \"0x…\", \"fid\": 123} objects").exception();
            }
            long entry = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw Problem.of(Problem.Kind.BAD_REQUEST, "the JSON array is not closed").exception();
                }
                entry++;
                upload.jsonEntry(parser, token, entry);
            }
            if (parser.nextToken() != null) {
                throw Problem.of(Problem.Kind.BAD_REQUEST, "unexpected content after the JSON array").exception();
            }
        } catch (StreamReadException e) {
            throw Json.problem(e, List.of()).exception();
        } catch (IOException e) {
            throw new RequestBody.UnreadableBodyException(e);
        }
        return upload.result();
    }

    private boolean header(long line, String text) {
        List<String> cells = cells(text);
        if (cells == null || !cells.get(0).strip().toLowerCase(Locale.ROOT).equals("address")) {
            return false;
        }
        if (cells.size() > 2 || (cells.size() == 2 && !cells.get(1).strip().toLowerCase(Locale.ROOT).equals("fid"))) {
            error(Problem.Error.line(line, null, "the header must be 'address' or 'address,fid'"));
        }
        return true;
    }

    private void csvLine(long line, String text) {
        rows++;
        List<String> cells = cells(text);
        if (cells == null) {
            error(Problem.Error.line(line, null, "unterminated quoted cell"));
            return;
        }
        if (cells.size() > 2) {
            error(Problem.Error.line(line, null, "expected address[,fid], found " + cells.size() + " columns"));
            return;
        }
        String addressCell = cells.get(0).strip();
        String fidCell = cells.size() == 2 ? cells.get(1).strip() : "";
        Optional<String> addressProblem = cellProblem(addressCell);
        Optional<Address> address = Optional.empty();
        if (addressProblem.isPresent()) {
            error(Problem.Error.line(line, "address", addressProblem.get()));
        } else {
            address = parseAddress(line, "address", addressCell);
        }
        Optional<Fid> fid = Optional.empty();
        boolean fidOk = true;
        if (!fidCell.isEmpty()) {
            if (!fidCell.matches("[0-9]{1,18}")) {
                Optional<String> fidProblem = fidCell.matches("-[0-9]+") ? Optional.empty() : cellProblem(fidCell);
                error(Problem.Error.line(line, "fid", fidProblem.orElse("fid must be a positive integer, got '"
                        + printable(fidCell) + "'")));
                fidOk = false;
            } else {
                fid = positiveFid(line, Long.parseLong(fidCell));
                fidOk = fid.isPresent();
            }
        }
        if (address.isPresent() && fidOk) {
            accept(line, address.get(), fid);
        }
    }

    private void jsonEntry(JsonParser parser, JsonToken token, long entry) throws IOException {
        rows++;
        String base = "/" + (entry - 1);
        if (token == JsonToken.VALUE_STRING) {
            stringAddress(entry, base, parser.getText()).ifPresent(a -> accept(entry, a, Optional.empty()));
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            error(Problem.Error.line(entry, base, "an entry must be an address string or an object {\"address\": \"0x…\", "
                    + "\"fid\": 123}"));
            return;
        }
        Optional<Address> address = Optional.empty();
        boolean sawAddress = false;
        Optional<Fid> fid = Optional.empty();
        boolean ok = true;
        JsonToken field;
        while ((field = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "address" -> {
                    sawAddress = true;
                    if (value != JsonToken.VALUE_STRING) {
                        parser.skipChildren();
                        error(Problem.Error.line(entry, base + "/address", "address must be a string"));
                        ok = false;
                    } else {
                        address = stringAddress(entry, base + "/address", parser.getText());
                        ok &= address.isPresent();
                    }
                }
                case "fid" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        fid = Optional.empty();
                    } else if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        fid = positiveFid(entry, parser.getLongValue());
                        ok &= fid.isPresent();
                    } else {
                        parser.skipChildren();
                        error(Problem.Error.line(entry, base + "/fid", "fid must be a positive integer or null"));
                        ok = false;
                    }
                }
                default -> {
                    parser.skipChildren();
                    error(Problem.Error.line(entry, base + "/" + name, "unknown field '" + printable(name)
                            + "'; allowed fields: address, fid"));
                    ok = false;
                }
            }
        }
        if (field != JsonToken.END_OBJECT) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "entry " + entry + " is not a well-formed JSON object").exception();
        }
        if (!sawAddress) {
            error(Problem.Error.line(entry, base + "/address", "address is required"));
            return;
        }
        if (ok && address.isPresent()) {
            accept(entry, address.get(), fid);
        }
    }

    private Optional<Address> stringAddress(long entry, String field, String text) {
        Optional<String> problem = cellProblem(text.strip());
        if (problem.isPresent()) {
            error(Problem.Error.line(entry, field, problem.get()));
            return Optional.empty();
        }
        return parseAddress(entry, field, text.strip());
    }

    private Optional<Address> parseAddress(long line, String field, String text) {
        if (text.isEmpty()) {
            error(Problem.Error.line(line, field, "address is empty"));
            return Optional.empty();
        }
        try {
            Address address = Address.parse(text);
            if (address.isZero()) {
                error(Problem.Error.line(line, field, "the zero address cannot hold a token"));
                return Optional.empty();
            }
            return Optional.of(address);
        } catch (IllegalArgumentException e) {
            error(Problem.Error.line(line, field, e.getMessage()));
            return Optional.empty();
        }
    }

    private Optional<Fid> positiveFid(long line, long value) {
        if (value <= 0) {
            error(Problem.Error.line(line, "fid", "fid must be a positive integer, got " + value));
            return Optional.empty();
        }
        return Optional.of(new Fid(value));
    }

    private void accept(long line, Address address, Optional<Fid> fid) {
        Long first = firstLine.putIfAbsent(address, line);
        if (first != null) {
            duplicateCount++;
            if (duplicates.size() < MAX_LISTED) {
                duplicates.add(new Duplicate(line, address.value(), first));
            }
            return;
        }
        recipients.add(new NewRecipient(address, fid));
    }

    private void error(Problem.Error error) {
        errorCount++;
        if (errors.size() < MAX_LISTED) {
            errors.add(error);
        }
    }

    private Parsed result() {
        if (rows == 0 && errorCount == 0) {
            error(new Problem.Error(null, null, "the upload contains no recipients"));
        }
        return new Parsed(List.copyOf(recipients), rows, List.copyOf(duplicates), duplicateCount, List.copyOf(errors),
                errorCount);
    }

    /**
     * Why a cell is refused before it is even parsed: empty is fine here (callers decide), but characters outside printable
     * ASCII are not, nor a first character that makes spreadsheets evaluate the cell (CSV injection).
     */
    private static Optional<String> cellProblem(String cell) {
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.of("contains " + String.format("U+%04X", (int) c) + " at position " + (i + 1)
                        + "; only plain ASCII is accepted (lookalike digits and invisible characters are refused)");
            }
        }
        if (!cell.isEmpty() && FORMULA_STARTS.indexOf(cell.charAt(0)) >= 0) {
            return Optional.of("refused: starts with '" + cell.charAt(0) + "', which spreadsheets run as a formula "
                    + "(CSV injection); an address starts with 0x");
        }
        return Optional.empty();
    }

    /** Splits one CSV line on commas, honouring RFC 4180 quotes; null when a quote is not closed. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>(2);
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                cell.setLength(0);
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        cells.add(cell.toString());
        return cells;
    }

    /** A cell shown in a message: control and non-ASCII characters as code points, at most 60 characters. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(60).forEach(cp -> {
            if (cp < 0x20 || cp > 0x7e) {
                out.append(String.format("U+%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return text.length() > 60 ? out + "…" : out.toString();
    }
}
