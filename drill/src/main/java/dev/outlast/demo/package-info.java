/**
 * The demo: the drill's scenario runner (a simulated chain behind three fault-injected providers, the
 * gateway in front of them) looping the {@code everything} scenario with a live terminal summary of
 * what the client gets through Outlast and directly from one provider. What {@code outlast demo}
 * runs; no network beyond loopback, no setup.
 */
package dev.outlast.demo;
