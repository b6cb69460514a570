package dev.basenft.adapter.http.javalin.support;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.port.out.Recipients;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Recipients} port that counts {@link #addAll} calls and passes everything to the real one, so tests can show an
 * all-or-nothing refusal never reached the store at all. Thread-safe when the delegate is.
 */
public final class CountingRecipients implements Recipients {

    private final Recipients delegate;
    private final AtomicLong addAllCalls = new AtomicLong();
    private volatile long failExportAfter = -1;

    public CountingRecipients(Recipients delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public IngestResult addAll(CampaignId campaign, Iterator<NewRecipient> recipients) {
        addAllCalls.incrementAndGet();
        return delegate.addAll(campaign, recipients);
    }

    @Override
    public List<Address> pending(CampaignId campaign, int limit) {
        return delegate.pending(campaign, limit);
    }

    @Override
    public Optional<Recipient> find(CampaignId campaign, Address address) {
        return delegate.find(campaign, address);
    }

    @Override
    public List<Recipient> list(CampaignId campaign, Optional<RecipientStatus> status, Optional<Address> after, int limit) {
        return delegate.list(campaign, status, after, limit);
    }

    @Override
    public Removal remove(CampaignId campaign, List<Address> addresses) {
        return delegate.remove(campaign, addresses);
    }

    @Override
    public Map<RecipientStatus, Long> countByStatus(CampaignId campaign) {
        return delegate.countByStatus(campaign);
    }

    @Override
    public void export(CampaignId campaign, java.util.function.Consumer<dev.basenft.core.model.ExportedRecipient> sink) {
        long failAfter = failExportAfter;
        AtomicLong handed = new AtomicLong();
        delegate.export(campaign, row -> {
            if (failAfter >= 0 && handed.getAndIncrement() == failAfter) {
                throw new IllegalStateException("the database went away mid-export (injected)");
            }
            sink.accept(row);
        });
    }

    /** Makes every later {@link #export} fail after handing out {@code rows} rows, as a lost database would. */
    public void failExportAfter(long rows) {
        failExportAfter = rows;
    }

    /** How often {@link #addAll} was called. */
    public long addAllCalls() {
        return addAllCalls.get();
    }

    /** Recipients stored for the campaign, whatever their status. */
    public long count(CampaignId campaign) {
        return delegate.countByStatus(campaign).values().stream().mapToLong(Long::longValue).sum();
    }
}
