/**
 * Talking to one provider: the JSON-RPC call and the recording of what happened (the call itself
 * goes over {@link dev.outlast.transport.client.Http1Client}), the classification of every way it
 * can fail ({@link dev.outlast.transport.FailureKind}), and the redaction of the API keys that
 * provider URLs carry.
 */
package dev.outlast.upstream;
