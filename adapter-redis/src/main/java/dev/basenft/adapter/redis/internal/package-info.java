/**
 * Internals of the Redis adapter: Lua script loading, key names, JSON quoting. Not an API: they may change in any release.
 * The scripts themselves are resources under {@code dev/basenft/adapter/redis/lua/}.
 */
package dev.basenft.adapter.redis.internal;
