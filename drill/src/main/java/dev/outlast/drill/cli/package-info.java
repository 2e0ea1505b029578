/**
 * The drill's commands on {@code outlast}'s command line: {@code demo}, and {@code drill run}, {@code list}
 * and {@code proxy}, added to the application's commands by {@link dev.outlast.drill.cli.DrillSubcommands}.
 */
package dev.outlast.drill.cli;
