package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class RecordedRequestTest {

    private static RecordedRequest request(Optional<String> sni, String host) {
        return new RecordedRequest(
                0,
                sni,
                "TLSv1.3",
                "GET",
                FakePolicyHost.WELL_KNOWN_PATH,
                "HTTP/1.1",
                List.of(Map.entry("Host", host), Map.entry("User-Agent", "test")));
    }

    @Test
    void domain_comesFromSni_elseFromHostWithoutPort() {
        assertThat(request(Optional.of("mta-sts.example.com"), "127.0.0.1:8443").domain())
                .hasValue("example.com");
        assertThat(request(Optional.empty(), "MTA-STS.Example.NET:443").domain())
                .hasValue("example.net");
        assertThat(request(Optional.empty(), "127.0.0.1:443").domain()).isEmpty();
    }

    @Test
    void headers_areCaseInsensitiveOnLookup() {
        RecordedRequest request = request(Optional.empty(), "a");
        assertThat(request.header("user-agent")).hasValue("test");
        assertThat(request.header("Accept")).isEmpty();
        assertThat(request.host()).hasValue("a");
        assertThat(request.httpVersion()).isEqualTo("HTTP/1.1");
    }
}
