/**
 * Routing: for one chain, which upstreams serve a request and under which policy. Selection by
 * score, failover within a deadline, hedging, consensus at a pinned block, broadcast of
 * transactions, coalescing of identical requests, and the head tracking that pinning relies on.
 */
package dev.outlast.routing;
