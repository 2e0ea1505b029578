/**
 * Outlast's own HTTP/1.1 clients on Netty: the connections they share
 * ({@link dev.outlast.transport.client.Http1Connections}, kept per event loop), JSON-RPC POSTs to a
 * provider ({@link dev.outlast.transport.client.Http1Client}) and a site's requests without a body to
 * an origin, streamed ({@link dev.outlast.transport.client.OriginClient}). They take the place of
 * Armeria's general-purpose client on the two hot paths, whose machinery cost more than the exchange
 * itself (docs/benchmarks.md); everything else (health checks, requests with a body, WebSockets)
 * keeps Armeria's client. Both clients fail with one
 * {@link dev.outlast.transport.client.CallFailure}; {@link dev.outlast.transport.client.ArmeriaFailures}
 * turns a failure of Armeria's client into the same.
 */
package dev.outlast.transport.client;
