/**
 * Drill: fault injection to rehearse an outage before it happens. {@link dev.outlast.drill.FaultProxy}
 * sits in front of one JSON-RPC upstream and makes it fail the way real vendors fail (error pages,
 * resets, black holes, lies, lag), switchable at runtime from Java or over HTTP.
 */
package dev.outlast.drill;
