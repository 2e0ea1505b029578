/**
 * Time as logic sees it: a {@link dev.outlast.time.Ticker} injected everywhere a decision depends
 * on elapsed time, so tests advance time instead of sleeping.
 */
package dev.outlast.time;
