package io.tidemark.agent.ship;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Batches not yet acknowledged, one file each ({@code <sequence>-<samples>.batch}, the serialized MetricBatch),
 * written to a temporary name, fsynced and renamed into place, so after a crash or restart a file is either whole or
 * absent. Bounded by a number of batches and a number of bytes: when a new batch would exceed either, the oldest
 * batches that are not in flight are deleted, and their samples counted as dropped.
 */
public final class DiskBuffer {

    private static final Pattern FILE = Pattern.compile("(\\d{20})-(\\d+)\\.batch");

    /** One buffered batch. */
    public record Entry(long sequence, int samples, long bytes, Path file) {
    }

    /** What was evicted to make room: reported by the caller. */
    public record Eviction(int batches, long samples) {
        static final Eviction NONE = new Eviction(0, 0);
    }

    private final Path directory;
    private final int maxBatches;
    private final long maxBytes;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final Set<Long> inFlight = new HashSet<>();
    private long totalBytes;
    private long totalSamples;
    private long nextSequence;

    public DiskBuffer(Path directory, int maxBatches, long maxBytes) throws IOException {
        this.directory = directory;
        this.maxBatches = maxBatches;
        this.maxBytes = maxBytes;
        Files.createDirectories(directory);
        long highest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher m = FILE.matcher(name);
                if (m.matches()) {
                    long sequence = Long.parseLong(m.group(1));
                    Entry entry = new Entry(sequence, Integer.parseInt(m.group(2)), Files.size(file), file);
                    entries.put(sequence, entry);
                    totalBytes += entry.bytes();
                    totalSamples += entry.samples();
                    highest = Math.max(highest, sequence);
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a write the agent did not finish
                }
            }
        }
        nextSequence = highest + 1;
    }

    public Path directory() {
        return directory;
    }

    /** Stores a batch durably; returns what had to be evicted to stay within the bounds. */
    public Eviction append(byte[] batch, int samples) throws IOException {
        long sequence;
        synchronized (this) {
            sequence = nextSequence++;
        }
        Path file = directory.resolve(String.format("%020d-%d.batch", sequence, samples));
        Path tmp = directory.resolve(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(batch);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        synchronized (this) {
            entries.put(sequence, new Entry(sequence, samples, batch.length, file));
            totalBytes += batch.length;
            totalSamples += samples;
            return evictOverflow();
        }
    }

    private Eviction evictOverflow() throws IOException {
        int batches = 0;
        long samples = 0;
        List<Long> order = new ArrayList<>(entries.keySet());
        for (Long sequence : order) {
            if (entries.size() <= maxBatches && totalBytes <= maxBytes) {
                break;
            }
            if (inFlight.contains(sequence) || sequence == entries.lastKey()) {
                continue; // in flight: probably committed already; the newest: the data just collected
            }
            Entry evicted = remove(sequence);
            batches++;
            samples += evicted.samples();
        }
        return batches == 0 ? Eviction.NONE : new Eviction(batches, samples);
    }

    /** The oldest batches that are neither in flight nor excluded, at most {@code limit}. */
    public synchronized List<Entry> sendable(int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (out.size() >= limit) {
                break;
            }
            if (!inFlight.contains(e.sequence())) {
                out.add(e);
            }
        }
        return out;
    }

    public synchronized boolean hasSendable() {
        return entries.size() > inFlight.size();
    }

    public synchronized void markInFlight(long sequence) {
        inFlight.add(sequence);
    }

    /** After a stream failure, every batch becomes sendable again (the service may or may not have it). */
    public synchronized void clearInFlight() {
        inFlight.clear();
    }

    public byte[] read(Entry entry) throws IOException {
        return Files.readAllBytes(entry.file());
    }

    /** Acknowledged (or given up): deletes the batch; null when it was already gone. */
    public synchronized Entry remove(long sequence) throws IOException {
        inFlight.remove(sequence);
        Entry entry = entries.remove(sequence);
        if (entry != null) {
            Files.deleteIfExists(entry.file());
            totalBytes -= entry.bytes();
            totalSamples -= entry.samples();
        }
        return entry;
    }

    public synchronized int batches() {
        return entries.size();
    }

    public synchronized long bytes() {
        return totalBytes;
    }

    public synchronized long samples() {
        return totalSamples;
    }

    public synchronized Map<Long, Entry> snapshot() {
        return Map.copyOf(entries);
    }

    /** Makes the rename durable; some file systems refuse to open a directory for sync, which then is best effort. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // e.g. not supported on this file system
        }
    }
}
