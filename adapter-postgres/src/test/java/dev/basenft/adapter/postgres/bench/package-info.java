/** Benchmarks run as commands (see {@code adapter-postgres/bench.sh}), not as tests. */
package dev.basenft.adapter.postgres.bench;
