package dev.mtasts.postfix.realpostfix;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A minimal socketmap responder (one blocking thread, netstrings read naively) that answers each
 * key from a function. It proves the Postfix harness on its own, apart from the daemon under test.
 */
final class FixedSocketmap implements AutoCloseable {
    private final ServerSocket server;
    private final UnaryOperator<String> answers;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    FixedSocketmap(UnaryOperator<String> answers) throws IOException {
        this.answers = answers;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(this::acceptLoop, "fixed-socketmap");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The requests received, as {@code name key}. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (true) {
                    StringBuilder length = new StringBuilder();
                    int c;
                    while ((c = in.read()) != ':') {
                        if (c < 0) {
                            throw new IOException("closed");
                        }
                        length.append((char) c);
                    }
                    byte[] payload = new byte[Integer.parseInt(length.toString())];
                    in.readFully(payload);
                    in.read(); // the trailing comma
                    String request = new String(payload, UTF_8);
                    requests.add(request);
                    byte[] reply = answers.apply(request.substring(request.indexOf(' ') + 1))
                            .getBytes(UTF_8);
                    out.write((reply.length + ":").getBytes(UTF_8));
                    out.write(reply);
                    out.write(',');
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                // the client went away or the server closed: take the next connection
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
