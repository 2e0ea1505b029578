/**
 * HTTP wiring: the Armeria server that serves {@code /rpc/{chain}}, health and readiness, metrics
 * and the admin API from one immutable configuration snapshot. {@link dev.outlast.server.Monitoring}
 * feeds the monitor from live traffic and probes, keeps the history, applies maintenance windows,
 * and serves the incidents and monitors API and the live parts of the status page (server-sent
 * events).
 */
package dev.outlast.server;
