package dev.mtasts.checker;

/** How a DNS lookup ended. */
public enum LookupStatus {
    /** Records of the type asked for. */
    FOUND,
    /** The name does not exist (NXDOMAIN). */
    NXDOMAIN,
    /** The name exists but has no records of the type (NODATA, or only other types). */
    NODATA,
    /** A temporary failure (SERVFAIL, REFUSED, timeout): nothing can be concluded. */
    FAILED
}
