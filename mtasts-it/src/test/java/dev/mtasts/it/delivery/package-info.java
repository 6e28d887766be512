/** Angus Mail delivering through a {@link dev.mtasts.core.delivery.Delivery} to the testkit's fake MX hosts. */
@NullMarked
package dev.mtasts.it.delivery;

import org.jspecify.annotations.NullMarked;
