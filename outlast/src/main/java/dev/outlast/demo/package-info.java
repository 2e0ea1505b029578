/**
 * The demo: a simulated chain behind three fault-injected providers, the gateway in front of them,
 * and a scripted outage with a client that counts what it gets through Outlast and directly from one
 * provider. What {@code outlast demo} runs; no network beyond loopback, no setup.
 */
package dev.outlast.demo;
