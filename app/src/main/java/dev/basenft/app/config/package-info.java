/**
 * The service's configuration (README.md#run-in-production lists every variable): environment variables read, validated
 * and reported all at once.
 */
package dev.basenft.app.config;
