/**
 * Health: what every call and probe said about an endpoint, turned into a state with a reason
 * (healthy, degraded, lagging, down, quarantined, misconfigured, drained), a score for selection
 * and a hedge delay. {@link dev.outlast.health.EndpointHealth} (circuit, error rate, latency,
 * Retry-After, drain) serves chain upstreams and site origins alike;
 * {@link dev.outlast.health.NodeState} (chain id, head, lag, quarantine) and the
 * {@link dev.outlast.health.RateBudget} belong to upstreams only, composed in
 * {@link dev.outlast.health.UpstreamHealth}. Readers see an immutable
 * {@link dev.outlast.health.HealthView} published through one volatile field.
 */
package dev.outlast.health;
