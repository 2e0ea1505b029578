/**
 * Writing and reading back a front door's record at each DNS provider ({@link
 * dev.outlast.frontdoor.dns.DnsProvider}): RFC 2136 dynamic update with TSIG, Route 53, Cloudflare
 * DNS, and Outlast's own authoritative server.
 */
package dev.outlast.frontdoor.dns;
