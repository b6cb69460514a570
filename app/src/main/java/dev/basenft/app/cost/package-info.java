/**
 * What a campaign will cost: the estimate behind {@code GET /api/campaigns/{id}/estimate}, priced from the chain as it is
 * now.
 */
package dev.basenft.app.cost;
