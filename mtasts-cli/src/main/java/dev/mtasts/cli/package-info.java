/** The {@code mtasts} command line: explain policies and records without touching the network. */
@NullMarked
package dev.mtasts.cli;

import org.jspecify.annotations.NullMarked;
