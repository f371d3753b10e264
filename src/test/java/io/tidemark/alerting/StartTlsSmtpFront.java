package io.tidemark.alerting;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * GreenMail 2.1.5 has no STARTTLS. This front speaks the start of SMTP itself: greeting, EHLO advertising only
 * STARTTLS, and the TLS handshake (GreenMail's own test certificate); then it relays the encrypted session, from the
 * client's second EHLO on, to GreenMail's SMTP port, where AUTH, MAIL, RCPT and DATA are checked and the mail stored.
 * A client that does not upgrade gets "530 Must issue a STARTTLS command first".
 */
public final class StartTlsSmtpFront implements AutoCloseable {

    private final ServerSocket server;
    private final int backendPort;
    private final SSLContext tls;
    public final AtomicInteger tlsSessions = new AtomicInteger();
    public final AtomicInteger authCommands = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    public StartTlsSmtpFront(int backendPort) throws Exception {
        this.backendPort = backendPort;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("greenmail.p12")) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "smtp-starttls-front");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed.get()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> session(client), "smtp-starttls-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket client) {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = client.getOutputStream();
            write(out, "220 localhost ESMTP front");
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                if (verb.equals("EHLO") || verb.equals("HELO")) {
                    write(out, "250-localhost\r\n250 STARTTLS");
                } else if (line.toUpperCase().startsWith("STARTTLS")) {
                    write(out, "220 Ready to start TLS");
                    break;
                } else if (verb.equals("QUIT")) {
                    write(out, "221 bye");
                    return;
                } else {
                    write(out, "530 Must issue a STARTTLS command first");
                }
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, "localhost", client.getPort(), true);
            secure.setUseClientMode(false);
            secure.startHandshake();
            tlsSessions.incrementAndGet();
            try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
                BufferedReader backendIn = new BufferedReader(new InputStreamReader(backend.getInputStream(),
                        StandardCharsets.US_ASCII));
                backendIn.readLine(); // GreenMail's greeting: the client had ours
                Thread up = new Thread(() -> pump(secure, backend, true), "smtp-up");
                up.setDaemon(true);
                up.start();
                pumpReader(backendIn, secure.getOutputStream());
                up.join(5000);
            }
        } catch (Exception e) {
            // a session ends when either side closes
        }
    }

    private void pump(Socket from, Socket to, boolean watchAuth) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = to.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                if (watchAuth && line.toUpperCase().startsWith("AUTH ")) {
                    authCommands.incrementAndGet();
                }
                out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException ignored) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    private static void pumpReader(BufferedReader in, OutputStream out) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed.set(true);
        server.close();
    }
}
