/**
 * The {@code outlast} command line: {@code serve} runs the gateway from a config file and
 * {@code validate} checks one, printing every problem with its YAML path. Other modules add
 * subcommands through {@link dev.outlast.cli.SubcommandProvider}. Exit codes: 0 success,
 * 1 failure while running, 2 usage error or invalid configuration.
 */
package dev.outlast.cli;
