/**
 * Talking to one provider: the JSON-RPC call over HTTP, the classification of every way it can
 * fail ({@link dev.outlast.upstream.FailureKind}), and the redaction of the API keys that provider
 * URLs carry.
 */
package dev.outlast.upstream;
