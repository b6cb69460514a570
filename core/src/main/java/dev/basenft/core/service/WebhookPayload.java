package dev.basenft.core.service;

import dev.basenft.core.internal.HmacSha256;
import dev.basenft.core.model.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The body and signature of a webhook delivery (docs/architecture.md#webhooks). The body is
 * {@code {"id","type","createdAt","campaignId","data":{…}}}; the signature is
 * {@code v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, the timestamp in Unix seconds. Written by hand (core has no
 * JSON library), so the signature covers exactly the bytes sent. Stateless.
 */
public final class WebhookPayload {

    /** The header carrying the event id, the same on every try. */
    public static final String EVENT_ID_HEADER = "X-BaseNft-Event-Id";
    /** The header carrying the signing time, Unix seconds. */
    public static final String TIMESTAMP_HEADER = "X-BaseNft-Timestamp";
    /** The header carrying {@code v1=<hex>}. */
    public static final String SIGNATURE_HEADER = "X-BaseNft-Signature";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private WebhookPayload() {
    }

    /** The UTF-8 JSON body for {@code event}. */
    public static byte[] body(WebhookEvent event) {
        StringBuilder json = new StringBuilder(256).append('{');
        json.append("\"id\":").append(quote(event.id().toString()));
        json.append(",\"type\":").append(quote(event.type().wireName()));
        json.append(",\"createdAt\":").append(quote(event.createdAt().toString()));
        json.append(",\"campaignId\":").append(event.campaignId().map(id -> quote(id.toString())).orElse("null"));
        json.append(",\"data\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : event.data().entrySet()) {
            json.append(first ? "" : ",").append(quote(e.getKey())).append(':');
            json.append(e.getValue() instanceof Long number ? number.toString() : quote((String) e.getValue()));
            first = false;
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code v1=} and the hex HMAC-SHA256 of {@code timestamp + "." + body} under {@code secret}. */
    public static String signature(String secret, long timestamp, byte[] body) {
        byte[] digest = HmacSha256.mac(secret.getBytes(StandardCharsets.UTF_8),
                (timestamp + ".").getBytes(StandardCharsets.US_ASCII), body);
        char[] hex = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return "v1=" + new String(hex);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
