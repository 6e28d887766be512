package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Recording and HTTPS delivery need no mail library: Jakarta Mail and Angus belong to the separate
 * {@code mtasts-tlsrpt-mail} artifact, so an MTA on javax.mail (Apache James 3.x) or with its own
 * mail stack takes none of them from this one.
 */
final class NoMailDependencyTest {

    @Test
    void moduleDescriptor_requiresNoMailModule() throws Exception {
        // The tests run on the class path, so read the descriptor compiled beside the classes.
        Path classes = Path.of(TlsRptDeliverer.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ModuleDescriptor descriptor =
                ModuleFinder.of(classes).find("dev.mtasts.tlsrpt").orElseThrow().descriptor();
        assertThat(descriptor.requires())
                .extracting(ModuleDescriptor.Requires::name)
                .doesNotContain("jakarta.mail", "java.mail", "org.eclipse.angus.mail")
                .allSatisfy(name -> assertThat(name).doesNotContainIgnoringCase("mail"));
    }

    @Test
    void testClassPath_holdsNoJakartaOrJavaxMail() {
        // Test scope included: neither the dependency tree nor a test dependency brings a mail API.
        ClassLoader loader = NoMailDependencyTest.class.getClassLoader();
        assertThatThrownBy(() -> Class.forName("jakarta.mail.Session", false, loader))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("javax.mail.Session", false, loader))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(ModuleLayer.boot().findModule("jakarta.mail")).isEmpty();
    }
}
