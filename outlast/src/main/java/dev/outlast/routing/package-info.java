/**
 * Routing: for one chain, which upstreams serve a request and under which policy. Selection by
 * score, failover within a deadline under one retry policy ({@link dev.outlast.routing.RetryPolicy}),
 * hedging, consensus at a pinned block, broadcast of transactions, and coalescing of identical
 * requests, behind the {@link dev.outlast.routing.Chain} facade. Head tracking and the cache's block
 * watch live in {@code routing.head}, verified reads in {@code routing.proof}; both get a
 * {@link dev.outlast.routing.ChainContext}, not the chain.
 */
package dev.outlast.routing;
