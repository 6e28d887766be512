package dev.mtasts.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The programmatic way in: a static {@code @RegisterExtension} field, a fresh world per test. */
final class MtaStsWorldExtensionTest {
    @RegisterExtension
    static final MtaStsWorldExtension MTA_STS = MtaStsWorldExtension.newInstance()
            .domain(
                    "example.com",
                    d -> d.mx(10, "mx1.example.com").policy(Mode.TESTING).stsId("7"))
            .domain("example.net", d -> d.mx(10, "mx.example.net").policy(Mode.ENFORCE))
            .build();

    private static final List<MtaStsWorld> SEEN = new CopyOnWriteArrayList<>();

    @BeforeEach
    void before(MtaStsWorld world) {
        // the parameter and the accessor name the same, already running world
        assertThat(world).isSameAs(MTA_STS.world());
        assertThat(world.isRunning()).isTrue();
    }

    @AfterEach
    void after(MtaStsWorld world) {
        assertThat(world.isRunning()).isTrue();
    }

    @Test
    void worldIsDescribedByTheBuilder(MtaStsWorld world) {
        assertThat(world.domains()).containsExactly("example.com", "example.net");
        assertThat(world.policy("example.com").orElseThrow().mode()).isEqualTo(Mode.TESTING);
        assertThat(world.stsId("example.com")).hasValue("7");
        assertThat(world.smtp("mx.example.net").port()).isPositive();
    }

    @RepeatedTest(3)
    void eachTestGetsAFreshWorld_andEveryEarlierOneIsClosed(MtaStsWorld world) {
        assertThat(SEEN).doesNotContain(world).noneMatch(MtaStsWorld::isRunning);
        SEEN.add(world);
    }
}
