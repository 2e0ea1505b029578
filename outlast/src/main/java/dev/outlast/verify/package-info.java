/**
 * Proof-verified reads: checks an upstream's answer against a state root with Merkle-Patricia
 * proofs ({@link dev.outlast.verify.MerkleProof}, {@link dev.outlast.verify.AccountProof}), checks a
 * block's receipts and transactions against its roots by rebuilding the tries
 * ({@link dev.outlast.verify.Receipts}, {@link dev.outlast.verify.Transactions},
 * {@link dev.outlast.verify.TrieRoot}) and recomputes block hashes from headers
 * ({@link dev.outlast.verify.BlockHeader}), so a value that
 * moves money can be trusted without trusting the provider that served it. Pure functions, no I/O.
 */
package dev.outlast.verify;
