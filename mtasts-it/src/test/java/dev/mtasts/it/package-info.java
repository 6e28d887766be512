/** Integration tests of discovery, fetching and caching against the testkit's loopback servers. */
@NullMarked
package dev.mtasts.it;

import org.jspecify.annotations.NullMarked;
