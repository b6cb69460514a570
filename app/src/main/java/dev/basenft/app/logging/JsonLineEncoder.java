package dev.basenft.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code LOG_FORMAT=json}: one JSON object per line, for log pipelines that index fields rather than grep lines.
 *
 * <p>Members: {@code time} (ISO-8601, UTC), {@code level}, {@code thread}, {@code logger}, {@code message} (the same words
 * as the plain format, so the runbook's lines can still be searched for), then what the event is about as fields of their
 * own: {@code campaignId} and {@code batchId} from the logging context the worker sets around each batch, and
 * {@code txHash} and {@code nonce} read from the message (core logs them as {@code tx 0x…} and {@code nonce N}; core has no
 * logging library to pass structured fields through); {@code error} and {@code stackTrace} when a throwable is attached.
 * Any other context entry is written under its own name.
 *
 * <p>Used by one appender at a time, as Logback's encoders are.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern TX_HASH = Pattern.compile("\\b0x[0-9a-fA-F]{64}\\b");
    private static final Pattern NONCE = Pattern.compile("\\b[Nn]once (\\d+)\\b");
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            String message = event.getFormattedMessage();
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("message", message == null ? "" : message);
            Map<String, String> context = new TreeMap<>(event.getMDCPropertyMap());
            for (String name : new String[] {LogContext.CAMPAIGN_ID, LogContext.BATCH_ID}) {
                String value = context.remove(name);
                if (value != null) {
                    json.writeStringField(name, value);
                }
            }
            if (message != null) {
                Matcher hash = TX_HASH.matcher(message);
                if (hash.find()) {
                    json.writeStringField("txHash", hash.group());
                }
                Matcher nonce = NONCE.matcher(message);
                if (nonce.find()) {
                    json.writeNumberField("nonce", Long.parseLong(nonce.group(1)));
                }
            }
            for (Map.Entry<String, String> entry : context.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("error", thrown.getClassName() + ": " + thrown.getMessage());
                json.writeStringField("stackTrace", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a log event as JSON", e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
