package dev.mtasts.core.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

final class DaneNamesTest {

    // DANE-CERT-8, RFC 7672 §3.2.3: the CN is read from the subject, escapes undone
    @Test
    void commonNames_readsTheCnAmongOtherAttributes() {
        assertThat(DaneNames.commonNames(new X500Principal("CN=mx.example.com, O=Example, C=DE")))
                .containsExactly("mx.example.com");
        assertThat(DaneNames.commonNames(new X500Principal("O=Example\\, Inc., CN=mx.example.com")))
                .containsExactly("mx.example.com");
        assertThat(DaneNames.commonNames(new X500Principal("OU=a+CN=mx.example.com, O=x")))
                .containsExactly("mx.example.com");
        assertThat(DaneNames.commonNames(new X500Principal("O=Example"))).isEmpty();
    }

    // DANE-CERT-8: an escaped separator inside a CN is part of the value, never a second attribute
    @Test
    void commonNames_escapedSeparatorsStayInTheValue() {
        assertThat(DaneNames.commonNames(new X500Principal("CN=mx.example.com\\,CN=evil.example")))
                .containsExactly("mx.example.com,CN=evil.example");
        assertThat(DaneNames.commonNames(new X500Principal("CN=a\\+b"))).containsExactly("a+b");
    }

    // DANE-CERT-8: whatever the subject, any escaped CN value reads back exactly, next to an equal O value
    @Test
    void commonNames_anyEscapedValueReadsBack() {
        qt().withExamples(300)
                .forAll(strings().basicLatinAlphabet().ofLengthBetween(1, 20))
                .checkAssert(value -> {
                    X500Principal subject = new X500Principal("CN=" + escape(value) + ", O=" + escape(value));
                    assertThat(DaneNames.commonNames(subject)).containsExactly(value.strip());
                });
    }

    /** RFC 2253 escaping of every special character, for building subjects from any text. */
    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.strip().toCharArray()) {
            if (",+\"\\<>;=#".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // DANE-CERT-8, RFC 7672 §3.2.3: SAN dNSNames when present, else the CN
    @Test
    void presentedNames_sanFirstCnOnlyWithoutSan() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create("DaneNames CA");
        TestCertificate both = ca.issue()
                .commonName("cn.example.com")
                .dnsNames("san.example.com")
                .build();
        assertThat(DaneNames.presentedNames(both.certificate())).containsExactly("san.example.com");
        TestCertificate cnOnly =
                ca.issue().commonName("cn.example.com").noSubjectAltNames().build();
        assertThat(DaneNames.presentedNames(cnOnly.certificate())).containsExactly("cn.example.com");
    }

    // DANE-CERT-7: matching is case-insensitive, ignores a root dot, wildcards cover one label only
    @Test
    void anyMatches_caseDotAndWildcard() {
        assertThat(DaneNames.anyMatches(List.of("MX.Example.COM"), Set.of("mx.example.com.")))
                .isTrue();
        assertThat(DaneNames.anyMatches(List.of("*.example.com"), Set.of("mx.example.com")))
                .isTrue();
        assertThat(DaneNames.anyMatches(List.of("*.example.com"), Set.of("a.b.example.com")))
                .isFalse();
        assertThat(DaneNames.anyMatches(List.of("*.com"), Set.of("example.com")))
                .isFalse();
        assertThat(DaneNames.anyMatches(List.of("mx.example.com"), Set.of())).isFalse();
    }
}
