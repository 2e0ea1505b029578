/**
 * The finality-aware response cache: what may be cached and for how long ({@link
 * dev.outlast.cache.CachePolicy}), the embedded store bounded by bytes with reorg eviction ({@link
 * dev.outlast.cache.ResponseCache}), and the optional tier shared by replicas through Redis
 * ({@link dev.outlast.cache.RedisTier}).
 */
package dev.outlast.cache;
