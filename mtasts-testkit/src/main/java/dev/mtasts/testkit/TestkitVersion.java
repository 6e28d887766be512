package dev.mtasts.testkit;

/** Placeholder so the module compiles until the testkit lands; removed by the testkit issue. */
final class TestkitVersion {
    private TestkitVersion() {}
}
