/** The service's configuration (SPEC §7): environment variables read, validated and reported all at once. */
package dev.basenft.app.config;
