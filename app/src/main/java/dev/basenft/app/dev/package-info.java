/**
 * Dev mode's local infrastructure: embedded PostgreSQL and Redis, and an anvil chain with our contracts, for {@code dev}.
 * Nothing here runs in production.
 */
package dev.basenft.app.dev;
