/**
 * The distribution queue on Redis, compatible with Node's BullMQ (6.x layout): {@link
 * dev.basenft.adapter.redis.RedisDistributionQueue}, configured by {@link dev.basenft.adapter.redis.RedisQueueSettings}.
 * Everything else here is a value type of that API; internals live in {@code .internal}.
 */
package dev.basenft.adapter.redis;
