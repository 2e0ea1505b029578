/**
 * A simulated EVM-like chain for drills, demos and tests: one in-process ledger
 * ({@link dev.outlast.drill.sim.SimulatedChain}) served by several JSON-RPC faces
 * ({@link dev.outlast.drill.sim.SimulatedProvider}) that therefore always agree. Value transfers
 * only: no EVM, no contracts.
 */
package dev.outlast.drill.sim;
