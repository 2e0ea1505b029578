/**
 * Routing: for one chain, which upstreams serve a request and under which policy. Selection by
 * score, failover within a deadline under one retry policy
 * ({@link dev.outlast.routing.retry.RetryPolicy}), hedging, consensus at a pinned block, broadcast of
 * transactions, and coalescing of identical requests, behind the {@link dev.outlast.routing.Chain}
 * facade. The retry engine lives in {@code routing.retry} (sites retry their origins on it too),
 * head tracking and the cache's block watch in {@code routing.head}, verified reads in
 * {@code routing.proof}; both of these get a {@link dev.outlast.routing.ChainContext}, not the chain.
 */
package dev.outlast.routing;
