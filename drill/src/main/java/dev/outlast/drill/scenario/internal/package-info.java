/**
 * Mechanics of drill scenarios: binding scenario YAML, the checked wallet load, the per-phase and
 * per-second tallies, and the HTML report. Not an API: use {@link dev.outlast.drill.scenario}.
 */
package dev.outlast.drill.scenario.internal;
