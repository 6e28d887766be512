package dev.mtasts.tlsrpt;

import java.io.IOException;
import java.nio.file.Path;

/** Run as another process by {@link FileStoreTest}: opens a file store, says so, holds it until stdin closes. */
final class StoreLockHolder {
    private StoreLockHolder() {}

    public static void main(String[] args) throws IOException {
        try (TlsRptStore store = TlsRptStore.file(Path.of(args[0]))) {
            System.out.println("locked " + store.load().size());
            System.out.flush();
            // Held until the test closes our stdin (or the process is destroyed).
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }
}
