/**
 * Torture tests (issue 8): the real worker process, crashed with {@code kill -9}, fed RPC faults through a chaos proxy, left
 * without its Redis and PostgreSQL for a while, and starved of blocks, over a real PostgreSQL, Redis and anvil; every run
 * ends by checking on the chain that each recipient holds exactly one token and that the database agrees.
 *
 * <p>{@link dev.basenft.torture.TortureTest} runs a quick version of every scenario inside the normal build;
 * {@code torture/run.sh} runs the full one ({@code -Dtorture.full=true}) and writes {@code target/torture/report.md}.
 */
package dev.basenft.torture;
