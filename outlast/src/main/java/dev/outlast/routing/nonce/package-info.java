/**
 * Nonces one honest upstream can serve: the {@code pending} nonce of a sender from its proven latest
 * nonce, the transactions Outlast itself broadcast for it and the upstreams' pending answers
 * ({@link dev.outlast.routing.nonce.Nonces}); and sends that are idempotent across failover, with a
 * "nonce too low" checked against the proven nonce. Routing hands its reads in through
 * {@link dev.outlast.routing.nonce.NonceRouting}.
 */
package dev.outlast.routing.nonce;
