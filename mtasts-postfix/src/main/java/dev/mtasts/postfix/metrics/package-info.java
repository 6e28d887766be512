/**
 * The daemon's metrics: Micrometer meters fed by the answerer, the server and the MTA-STS engine,
 * and an HTTP endpoint serving them in the Prometheus text format.
 */
@NullMarked
package dev.mtasts.postfix.metrics;

import org.jspecify.annotations.NullMarked;
