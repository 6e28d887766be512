package dev.mtasts.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension giving each test a fresh, started {@link MtaStsWorld} and closing it afterwards.
 * Two ways in, as with WireMock's extension:
 *
 * <ul>
 *   <li>declarative: {@link MtaStsTest @MtaStsTest} on the class or method, and a {@code
 *       MtaStsWorld} parameter;
 *   <li>programmatic: {@code @RegisterExtension static MtaStsWorldExtension mtaSts =
 *       MtaStsWorldExtension.newInstance().domain("example.com", d -> ...).build();} then {@code
 *       mtaSts.world()} or a {@code MtaStsWorld} parameter.
 * </ul>
 *
 * <p>Parallel-safe: every test gets its own servers on its own ephemeral ports; nothing JVM-wide
 * (system properties, default {@code SSLContext}, {@code /etc/hosts}) is touched. Under parallel
 * execution prefer the parameter to {@link #world()}.
 */
public final class MtaStsWorldExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MtaStsWorldExtension.class);
    private static final String KEY = "world";

    private final @Nullable List<Consumer<MtaStsWorld.Builder>> description;
    private final Map<Thread, MtaStsWorld> active = new ConcurrentHashMap<>();

    /** For {@code @ExtendWith} (through {@link MtaStsTest}): the world comes from the annotation. */
    public MtaStsWorldExtension() {
        this.description = null;
    }

    private MtaStsWorldExtension(List<Consumer<MtaStsWorld.Builder>> description) {
        this.description = List.copyOf(description);
    }

    /** A builder for a programmatically registered extension. */
    public static Builder newInstance() {
        return new Builder();
    }

    /**
     * The world of the test running on this thread (or of the only test running).
     *
     * @throws IllegalStateException outside a test, or when several tests run in parallel on other
     *     threads (inject a {@code MtaStsWorld} parameter instead)
     */
    public MtaStsWorld world() {
        MtaStsWorld world = active.get(Thread.currentThread());
        if (world != null) {
            return world;
        }
        List<MtaStsWorld> all = new ArrayList<>(active.values());
        if (all.size() == 1) {
            return all.get(0);
        }
        throw new IllegalStateException(
                all.isEmpty()
                        ? "no test is running with this extension"
                        : "several tests run in parallel: inject MtaStsWorld as a parameter instead");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        MtaStsWorld world = worldOf(context);
        active.put(Thread.currentThread(), world);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        active.values().removeIf(w -> w == store(context).get(KEY, MtaStsWorld.class));
        MtaStsWorld world = store(context).remove(KEY, MtaStsWorld.class);
        if (world != null) {
            world.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MtaStsWorld.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("an MtaStsWorld lives for one test: inject it into @Test, "
                    + "@BeforeEach or @AfterEach methods, not into constructors or @BeforeAll methods");
        }
        return worldOf(context);
    }

    private MtaStsWorld worldOf(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(KEY, k -> create(context), MtaStsWorld.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    private MtaStsWorld create(ExtensionContext context) {
        MtaStsWorld.Builder builder = MtaStsWorld.builder();
        if (description != null) {
            for (Consumer<MtaStsWorld.Builder> step : description) {
                step.accept(builder);
            }
        } else {
            annotation(context).ifPresent(a -> describe(builder, a));
        }
        return builder.build().start();
    }

    /** The nearest {@code @MtaStsTest}: on the method, its class, or an enclosing {@code @Nested} class. */
    private static Optional<MtaStsTest> annotation(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            Optional<MtaStsTest> found =
                    c.get().getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, MtaStsTest.class));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static void describe(MtaStsWorld.Builder builder, MtaStsTest a) {
        if (a.domain().isEmpty()) {
            return;
        }
        builder.domain(a.domain(), d -> {
            int preference = 10;
            for (String mx : a.mx()) {
                d.mx(preference, mx);
                preference += 10;
            }
            if (a.policy()) {
                d.maxAge(Duration.ofSeconds(a.maxAgeSeconds())).policy(a.mode(), a.policyMx());
            }
            d.stsId(a.stsId());
            if (a.tlsRpt().length > 0) {
                d.tlsRpt(a.tlsRpt());
            }
        });
    }

    /** Describes the world each test gets. Not thread-safe. */
    public static final class Builder {
        private final List<Consumer<MtaStsWorld.Builder>> steps = new ArrayList<>();

        private Builder() {}

        /** Describes a domain, as {@link MtaStsWorld.Builder#domain}. */
        public Builder domain(String domain, Consumer<MtaStsWorld.DomainSpec> description) {
            requireNonNull(domain, "domain");
            requireNonNull(description, "description");
            steps.add(b -> b.domain(domain, description));
            return this;
        }

        /** Any other setting of the world's builder. */
        public Builder configure(Consumer<MtaStsWorld.Builder> step) {
            steps.add(requireNonNull(step, "step"));
            return this;
        }

        /** The extension. */
        public MtaStsWorldExtension build() {
            return new MtaStsWorldExtension(steps);
        }
    }
}
