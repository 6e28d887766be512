package dev.mtasts.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class DomainNamesTest {

    @Test
    void isNormal_acceptsLowerCaseLdh() {
        assertThat(DomainNames.isNormal("example.com")).isTrue();
        assertThat(DomainNames.isNormal("a-b.xn--bcher-kva.example")).isTrue();
        assertThat(DomainNames.isNormal("1password.com")).isTrue();
    }

    @Test
    void isNormal_refusesEverythingElse() {
        for (String s : new String[] {
            "",
            "Example.com",
            "example.com.",
            ".example.com",
            "a..b",
            "-a.com",
            "a-.com",
            "a_b.com",
            "1.2.3.4",
            "a".repeat(64) + ".com",
            ("a".repeat(60) + ".").repeat(5) + "com"
        }) {
            assertThat(DomainNames.isNormal(s)).as(s).isFalse();
        }
    }

    @Test
    void normalize_lowerCaseALabelsNoTrailingDot() {
        // STS-SCOPE-2
        assertThat(DomainNames.normalize("Example.COM.")).isEqualTo("example.com");
        assertThat(DomainNames.normalize("bücher.example")).isEqualTo("xn--bcher-kva.example");
        String normal = "example.com";
        assertThat(DomainNames.normalize(normal)).isSameAs(normal);
    }

    @Test
    void normalize_refusesNonDomains() {
        assertThat(DomainNames.normalize("a..b")).isNull();
        assertThat(DomainNames.normalize("under_score.example")).isNull();
        assertThat(DomainNames.normalize("example.com..")).isNull();
        assertThat(DomainNames.normalize("192.0.2.1")).isNull();
    }

    @Test
    void isAddressLiteral() {
        // STS-SCOPE-1: address literals have no policy
        assertThat(DomainNames.isAddressLiteral("[192.0.2.1]")).isTrue();
        assertThat(DomainNames.isAddressLiteral("192.0.2.1.")).isTrue();
        assertThat(DomainNames.isAddressLiteral("2001:db8::1")).isTrue();
        assertThat(DomainNames.isAddressLiteral("example.com")).isFalse();
        assertThat(DomainNames.isAddressLiteral(".")).isFalse();
    }
}
