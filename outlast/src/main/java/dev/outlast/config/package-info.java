/**
 * The configuration: immutable records loaded once from a YAML file, with {@code ${ENV}}
 * interpolation and validation that names the YAML path of every problem. A reload builds a new
 * {@link dev.outlast.config.OutlastConfig} and swaps it whole; nothing here is mutable.
 */
package dev.outlast.config;
