package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The real PostgreSQL the fleet tests run on: found, started, given fresh databases, restarted. */
class PostgresClusterTest {

    @Test
    void shared_startsOnLoopback_givesFreshDatabases_andSurvivesARestart() throws IOException {
        assumeTrue(PostgresCluster.findBin().isPresent(), "PostgreSQL is not installed");
        Optional<PostgresCluster> found = PostgresCluster.shared();
        assertThat(found).isPresent();
        PostgresCluster cluster = found.get();
        assertThat(PostgresCluster.shared()).containsSame(cluster);

        String first = cluster.createDatabase("Kit-Test");
        String second = cluster.createDatabase("Kit-Test");
        assertThat(first).startsWith("kit_test_").isNotEqualTo(second);
        assertThat(cluster.jdbcUrl(first))
                .isEqualTo("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/" + first + "?user=postgres");
        assertAccepting(cluster.port());

        cluster.restart();
        assertAccepting(cluster.port());
        // The restarted server still knows the databases made before.
        assertThat(cluster.createDatabase("after_restart")).isNotEqualTo(first);
    }

    private static void assertAccepting(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            assertThat(s.isConnected()).isTrue();
        }
    }
}
