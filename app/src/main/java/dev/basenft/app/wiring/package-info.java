/** The composition root: adapters built from the settings, core's services on top, checks against the live services. */
package dev.basenft.app.wiring;
