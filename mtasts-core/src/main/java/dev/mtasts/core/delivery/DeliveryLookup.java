package dev.mtasts.core.delivery;

import dev.mtasts.core.tls.TlsConfigurationException;

/** Which delivery a socket factory acts for: a fixed one, or the one bound to the calling thread. */
@FunctionalInterface
interface DeliveryLookup {
    Delivery current() throws TlsConfigurationException;
}
