/**
 * base-nft's stores on PostgreSQL. {@link dev.basenft.adapter.postgres.PostgresStorage} is the one public entry point: it
 * builds the connection pool, applies the Flyway migrations under {@code dev/basenft/adapter/postgres/db/migration}, and
 * hands out core's storage ports. Everything else in this package is package-private: plain SQL through Jdbi 3, one
 * class per port, every state change a conditional UPDATE, recipient uploads streamed with COPY.
 */
package dev.basenft.adapter.postgres;
