/**
 * Everything that speaks HTTP/1.1 on Netty for Outlast, and the vocabulary both servers share: the
 * {@code X-Outlast-*} header names ({@link dev.outlast.transport.OutlastHeaders}), the one rule that
 * matches a site's host ({@link dev.outlast.transport.HostMatcher}), hop-by-hop fields, the JSON-RPC
 * answer either server writes, and the socket choices (io_uring, merged flushes, calls on the
 * caller's loop). {@link dev.outlast.transport.FailureKind} is the one failure vocabulary of every
 * client, upstream and origin alike. The fast path is in {@code transport.fastpath}, Outlast's own
 * clients in {@code transport.client}.
 */
package dev.outlast.transport;
