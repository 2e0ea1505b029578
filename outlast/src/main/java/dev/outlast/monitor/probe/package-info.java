/**
 * Active probes configured under {@code monitoring.probes}: {@code http}, {@code jsonrpc},
 * {@code tcp}, {@code tls} and {@code dns}. Each run yields one
 * {@link dev.outlast.monitor.Observation} for the probe's subject.
 */
package dev.outlast.monitor.probe;
