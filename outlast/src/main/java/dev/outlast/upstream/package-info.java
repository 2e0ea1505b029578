/**
 * Talking to one provider: the JSON-RPC call over HTTP (on a Netty HTTP/1.1 client of Outlast's
 * own, {@code Http1Client}: Armeria's general-purpose client cost most of a pass-through, see
 * docs/benchmarks.md), the classification of every way it can fail
 * ({@link dev.outlast.upstream.FailureKind}), and the redaction of the API keys that provider URLs
 * carry.
 */
package dev.outlast.upstream;
