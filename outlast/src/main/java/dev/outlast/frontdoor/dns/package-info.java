/**
 * Writing and reading back a front door's record at each DNS provider ({@link
 * dev.outlast.frontdoor.dns.DnsProvider}): RFC 2136 dynamic update with TSIG, Route 53, Cloudflare
 * DNS, and Outlast's own authoritative server ({@link dev.outlast.frontdoor.dns.BuiltInZone} and
 * {@link dev.outlast.frontdoor.dns.AuthoritativeServer}). {@link dev.outlast.frontdoor.dns.DnsProviders}
 * makes a provider from a {@code dns:} entry; every provider reads back names and addresses in one
 * canonical form, so a read compares equal to what was written.
 */
package dev.outlast.frontdoor.dns;
