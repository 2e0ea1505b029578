/**
 * Verified reads: values served from what an upstream can prove (Merkle-Patricia proofs against a
 * state root, receipts and transactions against the tries of a header) rather than from a vote,
 * under a chain's {@code verify} policy. Routing uses {@link dev.outlast.routing.proof.Proofs} and
 * {@link dev.outlast.routing.proof.ProofSupport}; the reads proofs are built on come from routing
 * through {@link dev.outlast.routing.proof.RoutedReads}.
 */
package dev.outlast.routing.proof;
