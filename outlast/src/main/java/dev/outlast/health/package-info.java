/**
 * Upstream health: what every call and probe said about an upstream, turned into a state with a
 * reason (healthy, degraded, lagging, down, quarantined, misconfigured), a score for selection and
 * a hedge delay. Routing, metrics, the admin API and the status page read it.
 */
package dev.outlast.health;
