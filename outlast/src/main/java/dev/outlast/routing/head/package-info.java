/**
 * Head tracking for one chain: the served head, safe and finalized blocks the upstreams agree on
 * ({@link dev.outlast.routing.head.HeadTracker}, which pinning relies on; one upstream ahead moves the
 * served head through blocks that link to it, {@code HeadLinks}; its staleness,
 * {@link dev.outlast.routing.head.HeadAge}), and the recent canonical
 * blocks the cache watches for reorgs ({@link dev.outlast.routing.head.CanonicalChain}). All work
 * from a {@link dev.outlast.routing.ChainContext}, not the chain itself.
 */
package dev.outlast.routing.head;
