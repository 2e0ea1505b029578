/**
 * Outlast's own HTTP/1.1 client connections on Netty ({@link dev.outlast.http1.Http1Connections}):
 * kept per event loop, shared by the JSON-RPC upstream client and the site origin client, which
 * replaced Armeria's general-purpose client on the two hot paths (docs/benchmarks.md).
 */
package dev.outlast.http1;
