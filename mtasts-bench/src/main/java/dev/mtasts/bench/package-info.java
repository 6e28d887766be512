/** JMH benchmarks; the goals they check are listed in {@code docs/performance.md}. */
@NullMarked
package dev.mtasts.bench;

import org.jspecify.annotations.NullMarked;
