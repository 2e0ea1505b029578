/**
 * Drill scenarios: a scripted outage ({@link dev.outlast.drill.scenario.Scenario}, written in YAML or
 * built in), run by {@link dev.outlast.drill.scenario.ScenarioRunner} against simulated providers
 * behind fault proxies and the gateway in front of them, with a wallet-like load whose every answer
 * is checked against the simulated chain's ledger, through Outlast and directly from one provider.
 */
package dev.outlast.drill.scenario;
