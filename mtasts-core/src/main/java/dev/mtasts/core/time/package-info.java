/**
 * The time source and scheduler every part of the SDK reads time and runs later work through, so a
 * test drives all of it from one fake clock instead of sleeping.
 */
@NullMarked
package dev.mtasts.core.time;

import org.jspecify.annotations.NullMarked;
