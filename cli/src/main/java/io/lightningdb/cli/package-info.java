/**
 * The {@code lightning} command line: the entry point of the jar and of the {@code ./lightning}
 * launcher. Each command is a small class; {@link io.lightningdb.cli.Main} dispatches to them.
 */
package io.lightningdb.cli;
