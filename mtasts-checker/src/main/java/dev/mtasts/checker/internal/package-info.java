/** The checks and probes behind {@link dev.mtasts.checker.DomainChecker}; not API. */
@NullMarked
package dev.mtasts.checker.internal;

import org.jspecify.annotations.NullMarked;
