/**
 * The configuration: immutable records loaded once from a YAML file, with {@code ${ENV}}
 * interpolation and validation that names the YAML path of every problem. Changing the
 * configuration means starting Outlast with the new file; nothing here is mutable.
 */
package dev.outlast.config;
