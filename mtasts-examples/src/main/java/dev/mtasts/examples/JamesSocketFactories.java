package dev.mtasts.examples;

import dev.mtasts.core.delivery.DeliveryTls;
import java.util.Objects;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Socket factories named by class in James's defaults ({@code mail.smtp.ssl.socketFactory.class},
 * {@code mail.smtp.socketFactory.class}): Jakarta Mail reads those String settings through the
 * defaults chain and calls the static {@code getDefault()} on every connection, which hands out the
 * shared factories acting for the delivery bound to the calling thread (docs/integration-apache-james.md).
 */
public final class JamesSocketFactories {
    private static volatile @Nullable DeliveryTls deliveryTls;

    private JamesSocketFactories() {}

    /** Sets the process's {@link DeliveryTls} (once, at start-up). */
    public static void install(DeliveryTls tls) {
        deliveryTls = Objects.requireNonNull(tls, "tls");
    }

    private static DeliveryTls installed() {
        DeliveryTls tls = deliveryTls;
        if (tls == null) {
            throw new IllegalStateException("JamesSocketFactories.install(deliveryTls) was not called");
        }
        return tls;
    }

    /** For {@code mail.smtp.ssl.socketFactory.class}. */
    public static final class Tls {
        private Tls() {}

        /** Called by Jakarta Mail for each connection. */
        public static SocketFactory getDefault() {
            return installed().sharedSocketFactory();
        }
    }

    /** For {@code mail.smtp.socketFactory.class}. */
    public static final class Plain {
        private Plain() {}

        /** Called by Jakarta Mail for each connection. */
        public static SocketFactory getDefault() {
            return installed().sharedPlainSocketFactory();
        }
    }
}
