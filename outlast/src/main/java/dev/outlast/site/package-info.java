/**
 * Site failover: a reverse proxy for HTTP sites (APIs, front-ends) on the gateway's listener,
 * matched on the {@code Host} header, over several origins (usually one per edge vendor), with
 * active and passive health, failover that never runs a write twice (with the retry budget and
 * pauses of chains, from {@code routing.retry}), stale-if-error and
 * stale-while-revalidate from a bounded in-memory cache, and vendor attribution of every failure.
 */
package dev.outlast.site;
