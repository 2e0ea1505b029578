/**
 * Monitoring wired into the server: {@link dev.outlast.ops.Operations} is the one object
 * {@code OutlastServer} starts and stops. It feeds the monitor from live traffic and probes, keeps
 * the history, applies maintenance windows, and serves the incidents and monitors API and the live
 * parts of the status page (server-sent events).
 */
package dev.outlast.ops;
