package io.tidemark.agent.statsd;

import io.tidemark.agent.self.AgentStats;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/** Receives StatsD datagrams (one or more newline-separated lines each) on one UDP socket and one thread. */
public final class StatsdListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StatsdListener.class.getName());

    private final DatagramSocket socket;
    private final StatsdAggregator aggregator;
    private final AgentStats stats;
    private final Thread thread;
    private volatile boolean closed;

    public StatsdListener(String bindAddress, int port, StatsdAggregator aggregator, AgentStats stats)
            throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(bindAddress, port));
        this.socket.setReceiveBufferSize(4 << 20);
        this.aggregator = aggregator;
        this.stats = stats;
        this.thread = new Thread(this::receive, "statsd-listener");
        this.thread.setDaemon(true);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public StatsdListener start() {
        thread.start();
        return this;
    }

    private void receive() {
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        String lastError = "";
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warning("statsd receive failed: " + e.getMessage());
                }
                continue;
            }
            stats.statsdPackets.increment();
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (!aggregator.add(StatsdLine.parse(line.trim()), now)) {
                        stats.statsdDropped.increment();
                    }
                } catch (StatsdLine.InvalidLineException e) {
                    stats.statsdInvalid.increment();
                    if (!e.getMessage().equals(lastError)) {
                        lastError = e.getMessage();
                        LOG.fine("statsd line refused: " + lastError);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
