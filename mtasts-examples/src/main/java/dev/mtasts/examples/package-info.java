/**
 * The sample sender: {@link dev.mtasts.examples.SampleSender} walks a domain's MX hosts under its
 * MTA-STS policy with one Angus Mail {@code Session} and posts the daily TLS reports.
 */
@NullMarked
package dev.mtasts.examples;

import org.jspecify.annotations.NullMarked;
