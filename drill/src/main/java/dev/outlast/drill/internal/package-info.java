/**
 * Mechanics of {@link dev.outlast.drill.FaultProxy}: the HTTP/1.1 wire on plain sockets, forwarding,
 * the control API and the JSON-RPC rewrites behind the lie, lag and wrong-chain faults. Not an API.
 */
package dev.outlast.drill.internal;
