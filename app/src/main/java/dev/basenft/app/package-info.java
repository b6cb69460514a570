/** The runnable application: {@code server}, {@code worker}, {@code dev} and {@code migrate}, and its graceful shutdown. */
package dev.basenft.app;
