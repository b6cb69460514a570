package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.port.out.Recipients.Removal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.basenft.core.port.out.Recipients}: all-or-nothing ingest with duplicates counted and not
 * stored twice, PENDING recipients in the order added, keyset pages in address order, counts with every status.
 */
public abstract class RecipientsContract extends StorageContract {

    @Test
    void addsRecipientsAsPendingWithTheirFid() {
        Campaign campaign = newCampaign();
        Address withFid = randomAddress();
        Address withoutFid = randomAddress();

        IngestResult result = store.recipients().addAll(campaign.id(), List.of(
                new NewRecipient(withFid, Optional.of(new Fid(42))), NewRecipient.of(withoutFid)).iterator());

        assertThat(result).isEqualTo(new IngestResult(2, 0));
        assertThat(store.recipients().find(campaign.id(), withFid))
                .contains(Recipient.pending(campaign.id(), withFid, Optional.of(new Fid(42))));
        assertThat(store.recipients().find(campaign.id(), withoutFid))
                .contains(Recipient.pending(campaign.id(), withoutFid, Optional.empty()));
    }

    @Test
    void exportGivesEveryRecipientInUploadOrderWithItsResultAndBatch() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 5);
        Address withFid = randomAddress();
        store.recipients().addAll(campaign.id(), List.of(new NewRecipient(withFid, Optional.of(new Fid(9)))).iterator());
        Batch minted = batchOf(campaign.id(), List.of(addresses.get(3), addresses.get(1)));
        store.batches().savePlanned(List.of(minted));
        Batch later = batchOf(campaign.id(), List.of(addresses.get(0)));
        store.batches().savePlanned(List.of(later));
        MintReceipt receipt = receiptFor(minted, 40);
        store.batches().claim(claimAt(minted, "worker-a", T0));
        store.batches().complete(minted.id(), receipt);
        addRecipients(newCampaign().id(), 2);

        List<ExportedRecipient> rows = new ArrayList<>();
        store.recipients().export(campaign.id(), rows::add);

        assertThat(rows).extracting(r -> r.recipient().address())
                .containsExactly(addresses.get(0), addresses.get(1), addresses.get(2), addresses.get(3), addresses.get(4),
                        withFid);
        assertThat(rows).extracting(ExportedRecipient::batchIndex).containsExactly(Optional.of(later.index()),
                Optional.of(minted.index()), Optional.empty(), Optional.of(minted.index()), Optional.empty(),
                Optional.empty());
        ExportedRecipient second = rows.get(1);
        assertThat(second.recipient()).isEqualTo(store.recipients().find(campaign.id(), addresses.get(1)).orElseThrow());
        assertThat(second.recipient().status()).isEqualTo(RecipientStatus.COMPLETED);
        assertThat(second.recipient().txHash()).contains(receipt.hash());
        assertThat(rows.getLast().recipient().fid()).contains(new Fid(9));
        List<ExportedRecipient> none = new ArrayList<>();
        store.recipients().export(newCampaign().id(), none::add);
        assertThat(none).isEmpty();
    }

    @Test
    void countsRepeatsAndKnownAddressesAsDuplicatesAndStoresThemOnce() {
        Campaign campaign = newCampaign();
        List<Address> first = addRecipients(campaign.id(), 3);
        Address fresh = randomAddress();

        IngestResult result = store.recipients().addAll(campaign.id(), Stream.of(first.get(0), fresh, fresh, first.get(2))
                .map(NewRecipient::of).iterator());

        assertThat(result).isEqualTo(new IngestResult(1, 3));
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 4L);
    }

    @Test
    void treatsTheSameAddressInAnotherCampaignAsNew() {
        Campaign one = newCampaign();
        Campaign other = newCampaign();
        List<Address> addresses = addRecipients(one.id(), 2);

        IngestResult result = store.recipients().addAll(other.id(), addresses.stream().map(NewRecipient::of).iterator());

        assertThat(result).isEqualTo(new IngestResult(2, 0));
    }

    @Test
    void storesNothingWhenTheLastOfTenThousandRowsIsBad() {
        Campaign campaign = newCampaign();
        List<Address> before = addRecipients(campaign.id(), 5);
        IllegalArgumentException badRow = new IllegalArgumentException("line 10000: not an address");
        Iterator<NewRecipient> rows = new Iterator<>() {
            private int produced;

            @Override
            public boolean hasNext() {
                return produced < 10_000;
            }

            @Override
            public NewRecipient next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                produced++;
                if (produced == 10_000) {
                    throw badRow;
                }
                return NewRecipient.of(randomAddress());
            }
        };

        Throwable thrown = catchThrowable(() -> store.recipients().addAll(campaign.id(), rows));

        assertThat(causeChain(thrown)).as("the bad row's exception reaches the caller").contains(badRow);
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 5L);
        assertThat(store.recipients().list(campaign.id(), Optional.empty(), Optional.empty(), 100))
                .extracting(Recipient::address).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void acceptsAnIngestAfterAFailedOne() {
        Campaign campaign = newCampaign();
        Iterator<NewRecipient> broken = Stream.<NewRecipient>generate(() -> {
            throw new IllegalArgumentException("line 1: broken");
        }).iterator();
        catchThrowable(() -> store.recipients().addAll(campaign.id(), broken));

        List<Address> added = addRecipients(campaign.id(), 3);

        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(added);
    }

    @Test
    void listsPendingRecipientsInTheOrderTheyWereAdded() {
        Campaign campaign = newCampaign();
        List<Address> firstUpload = addRecipients(campaign.id(), 5);
        List<Address> secondUpload = addRecipients(campaign.id(), 5);
        List<Address> all = new ArrayList<>(firstUpload);
        all.addAll(secondUpload);

        assertThat(store.recipients().pending(campaign.id(), 100)).containsExactlyElementsOf(all);
        assertThat(store.recipients().pending(campaign.id(), 7)).containsExactlyElementsOf(all.subList(0, 7));
    }

    @Test
    void leavesPlannedRecipientsOutOfPending() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 6);
        store.batches().savePlanned(List.of(batchOf(campaign.id(), addresses.subList(0, 4))));

        assertThat(store.recipients().pending(campaign.id(), 100)).containsExactlyElementsOf(addresses.subList(4, 6));
    }

    @Test
    void listsRecipientsInKeysetPagesOrderedByAddress() {
        Campaign campaign = newCampaign();
        List<Address> addresses = new ArrayList<>(addRecipients(campaign.id(), 25));
        addresses.sort(Comparator.comparing(Address::lowerCase));

        List<Address> seen = new ArrayList<>();
        Optional<Address> after = Optional.empty();
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            List<Recipient> page = store.recipients().list(campaign.id(), Optional.empty(), after, 7);
            if (page.isEmpty()) {
                break;
            }
            sizes.add(page.size());
            page.forEach(r -> seen.add(r.address()));
            after = Optional.of(page.getLast().address());
        }

        assertThat(sizes).containsExactly(7, 7, 7, 4);
        assertThat(seen).containsExactlyElementsOf(addresses);
    }

    @Test
    void filtersPagesByStatus() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 10);
        store.batches().savePlanned(List.of(batchOf(campaign.id(), addresses.subList(0, 6))));
        List<Address> processing = addresses.subList(0, 6).stream().sorted(Comparator.comparing(Address::lowerCase))
                .toList();

        List<Recipient> firstPage = store.recipients().list(campaign.id(), Optional.of(RecipientStatus.PROCESSING),
                Optional.empty(), 4);
        List<Recipient> secondPage = store.recipients().list(campaign.id(), Optional.of(RecipientStatus.PROCESSING),
                Optional.of(firstPage.getLast().address()), 4);

        assertThat(firstPage).extracting(Recipient::address).containsExactlyElementsOf(processing.subList(0, 4));
        assertThat(secondPage).extracting(Recipient::address).containsExactlyElementsOf(processing.subList(4, 6));
        assertThat(store.recipients().list(campaign.id(), Optional.of(RecipientStatus.COMPLETED), Optional.empty(), 10))
                .isEmpty();
    }

    @Test
    void countsEveryStatusEvenWhenNoneHaveIt() {
        Campaign campaign = newCampaign();

        assertThat(store.recipients().countByStatus(campaign.id()))
                .containsOnlyKeys(RecipientStatus.values())
                .allSatisfy((status, count) -> assertThat(count).isZero());

        List<Address> addresses = addRecipients(campaign.id(), 3);
        store.batches().savePlanned(List.of(batchOf(campaign.id(), addresses.subList(0, 1))));

        assertThat(store.recipients().countByStatus(campaign.id())).isEqualTo(Map.of(RecipientStatus.PENDING, 2L,
                RecipientStatus.PROCESSING, 1L, RecipientStatus.COMPLETED, 0L, RecipientStatus.FAILED, 0L));
    }

    @Test
    void findsNothingForAnAddressNotInTheCampaign() {
        Campaign campaign = newCampaign();
        addRecipients(campaign.id(), 2);

        assertThat(store.recipients().find(campaign.id(), randomAddress())).isEmpty();
        assertThat(store.recipients().find(new CampaignId(UUID.randomUUID()), randomAddress())).isEmpty();
    }

    @Test
    void storesEachAddressOnceWhenEightUploadsOverlap() throws Exception {
        Campaign campaign = newCampaign();
        List<Address> shared = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            shared.add(randomAddress());
        }

        // Every thread uploads the same 200 addresses plus 10 of its own.
        List<IngestResult> results = race(8, i -> {
            List<NewRecipient> upload = new ArrayList<>(shared.stream().map(NewRecipient::of).toList());
            for (int k = 0; k < 10; k++) {
                upload.add(NewRecipient.of(randomAddress()));
            }
            return store.recipients().addAll(campaign.id(), upload.iterator());
        });

        assertThat(results.stream().mapToLong(IngestResult::added).sum()).isEqualTo(200 + 8 * 10);
        assertThat(results.stream().mapToLong(IngestResult::duplicates).sum()).isEqualTo(7 * 200);
        List<Recipient> stored = store.recipients().list(campaign.id(), Optional.empty(), Optional.empty(), 1_000);
        assertThat(stored).hasSize(280);
        Set<Address> distinct = stored.stream().map(Recipient::address).collect(Collectors.toSet());
        assertThat(distinct).hasSize(280).containsAll(shared);
    }

    @Test
    void removesUnplannedRecipientsAndReportsTheAbsentOnes() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 4);
        Address stranger = randomAddress();

        Removal removal = store.recipients().remove(campaign.id(),
                List.of(addresses.get(1), stranger, addresses.get(3), addresses.get(1)));

        assertThat(removal).isEqualTo(new Removal.Removed(2, List.of(stranger)));
        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactly(addresses.get(0), addresses.get(2));
        assertThat(store.recipients().find(campaign.id(), addresses.get(1))).isEmpty();
        // Again: they are absent now, and nothing else changes.
        assertThat(store.recipients().remove(campaign.id(), List.of(addresses.get(1))))
                .isEqualTo(new Removal.Removed(0, List.of(addresses.get(1))));
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 2L);
    }

    @Test
    void removesNothingWhenOneListedRecipientIsPlannedAndNamesIt() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 3);
        Batch batch = batchOf(campaign.id(), addresses.subList(1, 2));
        store.batches().savePlanned(List.of(batch));

        Removal removal = store.recipients().remove(campaign.id(), addresses);

        assertThat(removal).isEqualTo(new Removal.Refused(Map.of(addresses.get(1), RecipientStatus.PROCESSING)));
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 2L)
                .containsEntry(RecipientStatus.PROCESSING, 1L);
    }

    @Test
    void aRecipientIsEitherRemovedOrPlannedWhenBothRace() throws Exception {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 50);
        Batch batch = batchOf(campaign.id(), addresses);

        List<Object> results = race(2, i -> {
            if (i == 0) {
                return store.recipients().remove(campaign.id(), addresses.reversed());
            }
            try {
                store.batches().savePlanned(List.of(batch));
                return "planned";
            } catch (dev.basenft.core.port.out.PlanningConflictException e) {
                return "conflict";
            }
        });

        if (results.get(1).equals("planned")) {
            assertThat(results.get(0)).isInstanceOf(Removal.Refused.class);
            assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PROCESSING, 50L);
        } else {
            assertThat(results.get(0)).isEqualTo(new Removal.Removed(50, List.of()));
            assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 0L)
                    .containsEntry(RecipientStatus.PROCESSING, 0L);
            assertThat(store.batches().byCampaign(campaign.id())).isEmpty();
        }
    }

    private static List<Throwable> causeChain(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
