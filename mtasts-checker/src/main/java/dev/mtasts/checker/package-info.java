/**
 * The domain checker: {@link dev.mtasts.checker.DomainChecker} checks a domain's MTA-STS and
 * TLSRPT set-up and returns a {@link dev.mtasts.checker.CheckReport} of {@link
 * dev.mtasts.checker.Finding findings} with stable IDs ({@link dev.mtasts.checker.Check}) and every
 * fact gathered.
 */
@NullMarked
package dev.mtasts.checker;

import org.jspecify.annotations.NullMarked;
