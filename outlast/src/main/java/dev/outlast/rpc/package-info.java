/**
 * JSON-RPC 2.0 as Outlast speaks it: the request parser with its limits, the errors Outlast itself
 * returns ({@link dev.outlast.rpc.OutlastError}), and the method catalog that says how each
 * Ethereum method is routed (block parameter position, consensus, broadcast, refused).
 */
package dev.outlast.rpc;
