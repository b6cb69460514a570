/**
 * Webhook delivery in the application: the JDK {@code HttpClient} sender of core's {@code WebhookSender} port and the loop
 * that runs core's {@code WebhookDispatcher} in the worker (docs/architecture.md#webhooks).
 */
package dev.basenft.app.webhooks;
