package dev.mtasts.testkit.server;

/** The key types the test CA can issue. */
enum KeyAlgorithm {
    /** ECDSA on P-256: fast to generate, the default. */
    EC,
    /** RSA 2048: for code that must handle RSA keys. */
    RSA
}
