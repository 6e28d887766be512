/** Reading the daemon's YAML configuration (postfix-mta-sts-resolver's keys). */
@NullMarked
package dev.mtasts.postfix.config;

import org.jspecify.annotations.NullMarked;
