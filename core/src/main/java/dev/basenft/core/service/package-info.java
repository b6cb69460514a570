/**
 * The use cases' implementations: {@link dev.basenft.core.service.CampaignService} for the API's operations,
 * {@link dev.basenft.core.service.BatchProcessor} for exactly-once minting, {@link dev.basenft.core.service.DistributionWorker}
 * for the queue loop. Constructors carry {@code jakarta.inject} annotations so any container can wire them.
 */
package dev.basenft.core.service;
