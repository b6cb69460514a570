-- One collection, one campaign. Before this version a creator could attach a collection deployed for someone else's
-- campaign, or attach one collection to two campaigns; the platform minter would then mint into it for both. From now on
-- the engine attaches a collection only to the campaign its deploy named, and this index makes the database refuse a
-- second campaign with the same collection on the same chain (the same address on another chain is another contract).
--
-- Existing duplicates are not resolved here: which campaign should keep a collection is the operator's call (see
-- docs/RUNBOOK.md, "Collection binding"). The migration stops, listing every duplicate, and changes nothing.
DO $$
DECLARE
    duplicates text;
BEGIN
    SELECT string_agg(format('chain %s collection 0x%s attached to campaigns %s', chain_id, encode(contract, 'hex'), ids),
                      '; ' ORDER BY chain_id, contract)
      INTO duplicates
      FROM (SELECT chain_id, contract, string_agg(id::text, ', ' ORDER BY id) AS ids
              FROM campaigns
             WHERE contract IS NOT NULL
             GROUP BY chain_id, contract
            HAVING count(*) > 1) AS shared;
    IF duplicates IS NOT NULL THEN
        RAISE EXCEPTION 'V6 collection binding: a collection is attached to more than one campaign: %', duplicates
            USING HINT = 'Detach the collection from all but the campaign it was deployed for (docs/RUNBOOK.md, '
                         '"Collection binding"), then migrate again.';
    END IF;
END
$$;

CREATE UNIQUE INDEX campaigns_collection_unique ON campaigns (chain_id, contract) WHERE contract IS NOT NULL;

-- What the deploy's CollectionCreated event said: the wallet that sent it (the collection's admin) and the block it was
-- mined in (where a scan of the collection's logs can start). NULL for collections attached before this version.
ALTER TABLE campaigns
    ADD COLUMN creator_wallet bytea  CONSTRAINT campaigns_creator_wallet CHECK (octet_length(creator_wallet) = 20),
    ADD COLUMN deploy_block   bigint CONSTRAINT campaigns_deploy_block_not_negative CHECK (deploy_block >= 0),
    ADD CONSTRAINT campaigns_deployment_with_contract
        CHECK (contract IS NOT NULL OR (creator_wallet IS NULL AND deploy_block IS NULL));
