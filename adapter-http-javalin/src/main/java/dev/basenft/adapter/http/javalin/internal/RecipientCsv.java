package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.Recipient;
import java.io.IOException;
import java.io.Writer;

/**
 * The CSV of a campaign's results export (RFC 4180): a header line, then one line per recipient with its address, fid,
 * status, token id, transaction hash, batch index and error; an absent value is an empty field. Only the error is free
 * text: it is quoted when it holds a comma, quote or line break, with quotes doubled. Stateless; thread-safe.
 */
public final class RecipientCsv {

    /** The media type of the export. */
    public static final String MEDIA_TYPE = "text/csv; charset=utf-8";
    /** The first line. */
    public static final String HEADER = "address,fid,status,token_id,tx_hash,batch,error\r\n";

    private RecipientCsv() {
    }

    /** Writes one line for {@code row} (not null) to {@code out}. */
    public static void write(Writer out, ExportedRecipient row) throws IOException {
        Recipient r = row.recipient();
        out.write(r.address().value());
        out.write(',');
        if (r.fid().isPresent()) {
            out.write(Long.toString(r.fid().get().value()));
        }
        out.write(',');
        out.write(r.status().name());
        out.write(',');
        if (r.tokenId().isPresent()) {
            out.write(r.tokenId().get().value().toString());
        }
        out.write(',');
        if (r.txHash().isPresent()) {
            out.write(r.txHash().get().value());
        }
        out.write(',');
        if (row.batchIndex().isPresent()) {
            out.write(Integer.toString(row.batchIndex().get()));
        }
        out.write(',');
        if (r.lastError().isPresent()) {
            out.write(field(r.lastError().get()));
        }
        out.write("\r\n");
    }

    /** {@code text} as one CSV field: as is, or quoted with its quotes doubled when it needs quoting. */
    static String field(String text) {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
