/**
 * Mechanics of configuration loading: reading YAML into a tree, {@code ${ENV}} interpolation, and
 * binding the tree by hand into the records of {@link dev.outlast.config}, walking it with a path
 * so that every problem names where it is. Not an API: use {@link dev.outlast.config.ConfigLoader}; the drill's scenario files
 * are bound with the same {@link dev.outlast.config.internal.Node} walk, so their problems read alike.
 */
package dev.outlast.config.internal;
