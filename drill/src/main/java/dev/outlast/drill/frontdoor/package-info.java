/**
 * The {@code cdn-outage} drill: an origin behind two emulated CDN edges, Outlast steering the
 * hostname across them through its built-in DNS server, and users resolving it (honouring the TTL)
 * and fetching, with and without steering.
 */
package dev.outlast.drill.frontdoor;
