package dev.mtasts.core.cache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM holding a file store: started with this test class path, it opens the store on the
 * directory given, prints {@code open}, and closes it when a line arrives on its stdin (or stdin ends).
 */
final class StoreHolderProcess implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;

    private StoreHolderProcess(Process process) {
        this.process = process;
    }

    /** Starts the holder and waits (bounded) until it has the store open. */
    static StoreHolderProcess start(Path directory) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StoreHolderProcess.class.getName(),
                        directory.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        StoreHolderProcess holder = new StoreHolderProcess(process);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return String.valueOf(out.readLine());
                    } catch (IOException e) {
                        return e.toString();
                    }
                })
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!line.equals("open")) {
            holder.close();
            throw new IllegalStateException("the store holder process said: " + line);
        }
        return holder;
    }

    /** Asks the holder to close its store and waits (bounded) for it to exit. */
    void release() throws Exception {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the store holder process did not exit");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The holder's entry point: {@code StoreHolderProcess DIRECTORY}. */
    public static void main(String[] args) throws IOException {
        try (PolicyStore store = PolicyStore.file(Path.of(args[0]))) {
            System.out.println("open");
            System.out.flush();
            System.in.read();
            store.all();
        }
    }
}
