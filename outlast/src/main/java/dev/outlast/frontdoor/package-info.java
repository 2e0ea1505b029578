/**
 * Front doors: the service's own hostname steered across CDN vendors through DNS. Each target (a CDN
 * path) is probed through its own edge; the record points at one target and moves only when the
 * active path fails by the vendor's fault while another passes. The DNS providers that carry the
 * record are in {@link dev.outlast.frontdoor.dns}.
 */
package dev.outlast.frontdoor;
