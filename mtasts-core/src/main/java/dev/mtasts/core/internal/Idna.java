package dev.mtasts.core.internal;

import java.net.IDN;
import java.util.Optional;

/**
 * The one gateway to {@link IDN} for main code. {@code IDN} documents only {@link
 * IllegalArgumentException}, but JDK 25 also throws a bare {@link RuntimeException} ("input too
 * long") for long input, and other versions may add more; a host that cannot be converted is simply
 * not a domain name, so every caller gets an empty result instead of an exception (STS-MX-4).
 */
public final class Idna {
    private Idna() {}

    /**
     * {@code name} in A-labels by IDNA2003 {@code ToASCII} with the STD3 rules (letters, digits and
     * hyphens only; case kept), or empty if it cannot be converted.
     */
    public static Optional<String> toAscii(String name) {
        try {
            return Optional.of(IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code label} by IDNA2003 {@code ToUnicode} with the STD3 rules, or empty if the JDK refuses it.
     * Like {@link IDN#toUnicode(String, int)} it hands back an undecodable A-label unchanged.
     */
    public static Optional<String> toUnicode(String label) {
        try {
            return Optional.of(IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
