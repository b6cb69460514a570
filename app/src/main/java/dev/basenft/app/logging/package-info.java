/** How the processes log: the JSON line format of {@code LOG_FORMAT=json} and the per-batch logging context. */
package dev.basenft.app.logging;
