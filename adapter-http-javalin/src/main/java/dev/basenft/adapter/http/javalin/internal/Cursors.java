package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Keyset pagination cursors: the key of the last item of a page, base64url-encoded with a kind prefix so a cursor of one list
 * is not accepted by another. Opaque to clients; not secret (it holds nothing the caller did not just receive).
 */
public final class Cursors {

    private static final String CAMPAIGN = "c1:";
    private static final String RECIPIENT = "r1:";
    private static final String BATCH = "b1:";
    private static final String ATTEMPT = "w1:";

    private Cursors() {
    }

    public static String campaign(CampaignId last) {
        return encode(CAMPAIGN + last);
    }

    public static String recipient(Address last) {
        return encode(RECIPIENT + last.lowerCase());
    }

    public static String batch(int lastIndex) {
        return encode(BATCH + lastIndex);
    }

    public static String attempt(long lastSequence) {
        return encode(ATTEMPT + lastSequence);
    }

    /** @throws ProblemException 400 naming {@code cursor} when it is not a delivery-log cursor this API issued */
    public static Optional<Long> attemptBefore(String cursor) {
        return decode(cursor, ATTEMPT).map(text -> {
            if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid();
            }
            return Long.parseLong(text);
        });
    }

    /** @throws ProblemException 400 naming {@code cursor} when it is not a batch cursor this API issued */
    public static Optional<Integer> batchAfter(String cursor) {
        return decode(cursor, BATCH).map(text -> {
            // ASCII digits only, as an index is written; anything else was not issued here.
            if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid();
            }
            return Integer.parseInt(text);
        });
    }

    /** @throws ProblemException 400 naming {@code cursor} when it is not a campaign cursor this API issued */
    public static Optional<CampaignId> campaignAfter(String cursor) {
        return decode(cursor, CAMPAIGN).map(text -> {
            try {
                return CampaignId.parse(text);
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
        });
    }

    /** @throws ProblemException 400 naming {@code cursor} when it is not a recipient cursor this API issued */
    public static Optional<Address> recipientAfter(String cursor) {
        return decode(cursor, RECIPIENT).map(text -> {
            try {
                return Address.parse(text);
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
        });
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Optional<String> decode(String cursor, String prefix) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!text.startsWith(prefix)) {
            throw invalid();
        }
        return Optional.of(text.substring(prefix.length()));
    }

    private static ProblemException invalid() {
        return Problem.of(Problem.Kind.BAD_REQUEST, "the cursor is not one this list returned; pass nextCursor from the "
                + "previous page, or leave it out for the first page",
                List.of(Problem.Error.field("cursor", "not a cursor of this list"))).exception();
    }
}
