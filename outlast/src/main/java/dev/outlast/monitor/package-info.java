/**
 * The monitor: every watched thing is a {@link dev.outlast.monitor.Subject} (a chain upstream, a site
 * origin, a probe), fed {@link dev.outlast.monitor.Observation}s from live traffic and active checks;
 * per subject a flap-suppressed ok/degraded/down state machine with multi-window burn rate decides
 * when something is wrong and tells a {@link dev.outlast.monitor.Monitor.Listener}.
 */
package dev.outlast.monitor;
