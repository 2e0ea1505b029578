/**
 * HTTP wiring: the Armeria server that serves {@code /rpc/{chain}}, health and readiness, metrics
 * and the admin API from one immutable configuration snapshot.
 */
package dev.outlast.server;
