package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.Worlds;
import dev.mtasts.testkit.MultiAddressWorld;
import java.util.List;

/** A {@link CheckContext} on a {@link MultiAddressWorld}, for running one check class on its own. */
final class TxtContexts {
    private TxtContexts() {}

    static CheckContext context(MultiAddressWorld world, String domain) {
        return context(domain, Worlds.options(world).build());
    }

    static CheckContext context(String domain, CheckOptions options) {
        return new CheckContext(domain, options, Runnable::run, f -> {});
    }

    /** The findings of {@code check}. */
    static List<Finding> findingsOf(CheckContext ctx, Check check) {
        return ctx.findings().stream().filter(f -> f.check() == check).toList();
    }

    /** The findings at {@code severity} or worse whose ID starts with {@code prefix}. */
    static List<Finding> atLeast(CheckContext ctx, String prefix, Severity severity) {
        return ctx.findings().stream()
                .filter(f -> f.id().startsWith(prefix) && f.severity().atLeast(severity))
                .toList();
    }
}
