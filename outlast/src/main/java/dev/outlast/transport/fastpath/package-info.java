/**
 * The fast path: JSON-RPC calls and a site's {@code GET}s answered over HTTP/1.1 right behind
 * Armeria's decoder ({@link dev.outlast.transport.fastpath.FastPath}). A pure classifier decides
 * who answers a request, a per-connection state machine keeps answers in order, and one encoder
 * writes every answer's head as Armeria's server does.
 */
package dev.outlast.transport.fastpath;
