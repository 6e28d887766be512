package dev.mtasts.cli;

import dev.mtasts.testkit.MultiAddressWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The network options that point {@code check} and {@code resolve} at a {@link MultiAddressWorld}. */
final class WorldOptions {
    private WorldOptions() {}

    /** Writes the world's CA certificate to {@code dir/ca.pem}, for {@code --ca-file}. */
    static Path writeCa(MultiAddressWorld world, Path dir) throws IOException {
        Path caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, world.certificateAuthority().certificatePem());
        return caFile;
    }

    /** {@code --dns}, both ports, {@code --ca-file}, {@code --private-ok} and a 5 s timeout. */
    static List<String> of(MultiAddressWorld world, Path caFile) {
        return List.of(
                "--dns",
                world.dnsAddress().getAddress().getHostAddress() + ":"
                        + world.dnsAddress().getPort(),
                "--https-port",
                String.valueOf(world.httpsPort()),
                "--smtp-port",
                String.valueOf(world.smtpPort()),
                "--ca-file",
                caFile.toString(),
                "--private-ok",
                "--timeout",
                "5");
    }
}
