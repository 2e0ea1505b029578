/**
 * Listener wiring and the composition of a running Outlast: {@link dev.outlast.server.OutlastServer}
 * builds every part from one immutable configuration snapshot and serves {@code /rpc/{chain}},
 * health and readiness, metrics and the surfaces for people ({@link dev.outlast.admin}).
 * {@link dev.outlast.server.Monitoring} connects live traffic and probes to the monitor, incidents,
 * alerts and the history store; maintenance windows drain traffic through
 * {@code MaintenanceDrains}.
 */
package dev.outlast.server;
