/**
 * Incidents: opened, updated, attributed and resolved from the monitor's transitions, grouped into
 * one vendor incident when several subjects fail with the same vendor, and turned into alerts
 * (JSON and Slack-compatible webhooks, with retries and deduplication), muted in maintenance.
 */
package dev.outlast.incident;
