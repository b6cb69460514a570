/**
 * {@code doctor}: the runbook's checks, run read-only against a deployment's PostgreSQL, Redis and chain, one verdict per
 * line.
 */
package dev.basenft.app.doctor;
