/**
 * Vendor attribution: from a failed HTTP response (status, headers, the start of the body) tell
 * which edge vendor produced it, whether the vendor generated the error or passed the origin's
 * error through, and at which edge location. The rules are one ordered table ({@code Rules}),
 * each naming the public documentation it relies on.
 */
package dev.outlast.attribution;
