/**
 * Proof-verified reads: checks an upstream's answer against a state root with Merkle-Patricia
 * proofs ({@link dev.outlast.verify.MerkleProof}, {@link dev.outlast.verify.AccountProof}) and
 * recomputes block hashes from headers ({@link dev.outlast.verify.BlockHeader}), so a value that
 * moves money can be trusted without trusting the provider that served it. Pure functions, no I/O.
 */
package dev.outlast.verify;
