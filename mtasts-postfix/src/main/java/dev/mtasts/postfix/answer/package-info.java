/**
 * How {@link dev.mtasts.postfix.PostfixPolicyAnswerer} reads Postfix's lookup keys and writes the
 * replies {@code smtp_tls_policy_maps} understands; not exported.
 */
@NullMarked
package dev.mtasts.postfix.answer;

import org.jspecify.annotations.NullMarked;
