package dev.basenft.core.model;

import java.util.Optional;

/**
 * A campaign's collection and what its deploy transaction said about it.
 *
 * @param address the collection contract; never null, never the zero address
 * @param creatorWallet the wallet that sent the deploy, as the factory's {@code CollectionCreated} event names it (the
 *        collection's admin); never null, empty only for collections attached before the engine recorded it
 * @param deployBlock the block the deploy was mined in, where a scan of the collection's logs can start; never null, empty
 *        only for collections attached before the engine recorded it
 */
public record CollectionDeployment(Address address, Optional<Address> creatorWallet, Optional<Long> deployBlock) {

    public CollectionDeployment {
        Require.notNull("address", address);
        Require.notNull("creatorWallet", creatorWallet);
        Require.notNull("deployBlock", deployBlock);
        if (address.isZero()) {
            throw new InvalidAddressException("address must not be the zero address");
        }
        if (deployBlock.isPresent() && deployBlock.get() < 0) {
            throw new IllegalArgumentException("deployBlock must not be negative, got " + deployBlock.get());
        }
    }

    /**
     * A deploy read from the chain: everything known.
     *
     * @param address never null
     * @param creatorWallet never null
     * @param deployBlock 0 or more
     */
    public static CollectionDeployment of(Address address, Address creatorWallet, long deployBlock) {
        return new CollectionDeployment(address, Optional.of(Require.notNull("creatorWallet", creatorWallet)),
                Optional.of(deployBlock));
    }
}
