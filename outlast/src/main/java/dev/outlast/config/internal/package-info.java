/**
 * Mechanics of configuration loading: reading YAML into a tree, {@code ${ENV}} interpolation, and
 * binding the tree by hand into the records of {@link dev.outlast.config}, walking it with a path
 * so that every problem names where it is. Not an API: use {@link dev.outlast.config.ConfigLoader}, or
 * {@link dev.outlast.config.YamlDocument} to bind another YAML file with the same walk.
 */
package dev.outlast.config.internal;
