/**
 * Test harness shared by behaviour and integration tests: a JSON-RPC client, signed transfers, a
 * cluster of real ganache nodes with gossip, and the true on-chain state to judge answers against.
 */
package dev.outlast.testing;
