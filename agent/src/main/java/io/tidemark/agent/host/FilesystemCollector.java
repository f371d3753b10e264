package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per mount of /proc/mounts (pseudo filesystems and mounts below /proc, /sys, /dev excluded):
 * {@code node_filesystem_size_bytes}, {@code _free_bytes}, {@code _avail_bytes}, {@code _files},
 * {@code _files_free} with labels device, fstype, mountpoint (node_exporter's names), plus
 * {@code node_filesystem_used_bytes} (size - free, a Tidemark addition).
 */
public final class FilesystemCollector implements Collector {

    static final Set<String> PSEUDO = Set.of("autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs",
            "debugfs", "devpts", "devtmpfs", "efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs", "proc", "procfs",
            "pstore", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tracefs", "ramfs", "rootfs");
    static final Pattern EXCLUDED_MOUNTS = Pattern.compile("^/(dev|proc|sys|run/credentials/.+|var/lib/docker/.+)($|/).*");

    /** Block and inode counts of one mounted filesystem, as statfs(2) gives them. */
    public record FsStats(long blockSize, long blocks, long blocksFree, long blocksAvailable, long files,
            long filesFree) {
    }

    /** statfs for many mount points at once; a mount it cannot stat is absent from the answer. */
    public interface Statfs {
        Map<String, FsStats> stat(List<String> mountPoints) throws IOException;
    }

    private record Mount(String device, String mountPoint, String fsType) {
    }

    private final ProcFs fs;
    private final Statfs statfs;

    public FilesystemCollector(ProcFs fs, Statfs statfs) {
        this.fs = fs;
        this.statfs = statfs;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public List<Point> collect(long nowMs) throws IOException {
        Map<String, Mount> mounts = new LinkedHashMap<>();
        for (String line : fs.lines("mounts")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            Mount mount = new Mount(unescape(f[0]), unescape(f[1]), f[2]);
            if (PSEUDO.contains(mount.fsType()) || EXCLUDED_MOUNTS.matcher(mount.mountPoint()).matches()) {
                continue;
            }
            mounts.put(mount.mountPoint(), mount); // a later mount on the same point hides the earlier one
        }
        Map<String, FsStats> stats = statfs.stat(new ArrayList<>(mounts.keySet()));
        List<Point> points = new ArrayList<>();
        for (Mount mount : mounts.values()) {
            FsStats s = stats.get(mount.mountPoint());
            if (s == null) {
                continue;
            }
            Map<String, String> labels = Map.of("device", mount.device(), "fstype", mount.fsType(), "mountpoint",
                    mount.mountPoint());
            points.add(Point.gauge("node_filesystem_size_bytes", labels, nowMs, (double) s.blocks() * s.blockSize()));
            points.add(Point.gauge("node_filesystem_free_bytes", labels, nowMs, (double) s.blocksFree() * s.blockSize()));
            points.add(Point.gauge("node_filesystem_avail_bytes", labels, nowMs,
                    (double) s.blocksAvailable() * s.blockSize()));
            points.add(Point.gauge("node_filesystem_used_bytes", labels, nowMs,
                    (double) (s.blocks() - s.blocksFree()) * s.blockSize()));
            points.add(Point.gauge("node_filesystem_files", labels, nowMs, s.files()));
            points.add(Point.gauge("node_filesystem_files_free", labels, nowMs, s.filesFree()));
        }
        return points;
    }

    /** /proc/mounts writes space, tab, newline and backslash as octal escapes (\040 ...). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 4 <= field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
