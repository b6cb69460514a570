package dev.basenft.core.model;

import java.util.Optional;

/**
 * A recipient as uploaded, before it is stored: an address and, optionally, a Farcaster id.
 *
 * @param address never null, never the zero address
 * @param fid never null
 */
public record NewRecipient(Address address, Optional<Fid> fid) {

    public NewRecipient {
        Require.notNull("address", address);
        if (address.isZero()) {
            throw new InvalidAddressException("recipient address must not be the zero address");
        }
        Require.notNull("fid", fid);
    }

    public static NewRecipient of(Address address) {
        return new NewRecipient(address, Optional.empty());
    }
}
