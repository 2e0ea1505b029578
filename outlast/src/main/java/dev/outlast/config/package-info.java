/**
 * The configuration: immutable records loaded once from a YAML file, with {@code ${ENV}}
 * interpolation and validation that names the YAML path of every problem. Changing the
 * configuration means starting Outlast with the new file; no record here is mutable.
 * {@link dev.outlast.config.YamlDocument} offers the loader's walk over a YAML tree to other files
 * (the drill's scenarios), so their problems read alike.
 */
package dev.outlast.config;
