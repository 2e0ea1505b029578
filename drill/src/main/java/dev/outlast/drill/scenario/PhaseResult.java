package dev.outlast.drill.scenario;

/**
 * What the load saw during one phase, through Outlast and directly from the first provider.
 *
 * @param phase   the phase as played (its duration possibly shortened)
 * @param outlast through the gateway
 * @param direct  straight to the first provider (through its fault proxy, as its vendor serves it)
 */
public record PhaseResult(Scenario.Phase phase, PathStats outlast, PathStats direct) {
}
