package io.tidemark.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.agent.Point;
import io.tidemark.proto.v1.MetricType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Host collectors against fixture /proc and /sys trees of three kernel generations, and once on this machine. */
class HostCollectorsTest {

    private static final long NOW = 1_700_000_000_000L;

    private static ProcFs fixture(String kernel) throws URISyntaxException {
        Path root = Path.of(HostCollectorsTest.class.getResource("/proc/" + kernel).toURI());
        return new ProcFs(root.resolve("proc"), root.resolve("sys"));
    }

    /** value of the one point with this name and exactly these labels; null when absent. */
    private static Double value(List<Point> points, String name, Map<String, String> labels) {
        List<Point> found = points.stream().filter(p -> p.name().equals(name) && p.labels().equals(labels)).toList();
        assertTrue(found.size() <= 1, "one point for " + name + labels + ": " + found);
        return found.isEmpty() ? null : found.get(0).value();
    }

    private static Set<String> names(List<Point> points) {
        return points.stream().map(Point::name).collect(Collectors.toSet());
    }

    private static final FilesystemCollector.Statfs FIXED_STATFS = mounts -> {
        Map<String, FilesystemCollector.FsStats> stats = new HashMap<>();
        for (String m : mounts) {
            stats.put(m, new FilesystemCollector.FsStats(4096, 1000, 400, 300, 500, 200));
        }
        return stats;
    };

    @Test
    void cpuOfAKernelWithoutStealOrGuestColumns() throws Exception {
        List<Point> points = new CpuCollector(fixture("linux-2.6.9")).collect(NOW);
        assertEquals(11.32, value(points, "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "user")), 1e-9);
        assertEquals(113117.18, value(points, "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "idle")), 1e-9);
        assertEquals(0.18, value(points, "node_cpu_seconds_total", Map.of("cpu", "1", "mode", "softirq")), 1e-9);
        assertNull(value(points, "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "steal")));
        assertFalse(names(points).contains("node_cpu_guest_seconds_total"));
        assertEquals(2 * 7, points.size(), "7 modes for 2 CPUs; no utilisation on the first collection");
        assertTrue(points.stream().allMatch(p -> p.type() == MetricType.METRIC_TYPE_COUNTER));
    }

    @Test
    void cpuOfAModernKernelWithGuestColumnsAndUtilisationBetweenCollections() throws Exception {
        Path copy = Files.createTempDirectory("proc-copy");
        Files.copy(fixture("linux-5.15").proc().resolve("stat"), copy.resolve("stat"));
        CpuCollector cpu = new CpuCollector(new ProcFs(copy, copy));
        List<Point> first = cpu.collect(NOW);
        assertEquals(0.06, value(first, "node_cpu_guest_seconds_total", Map.of("cpu", "1", "mode", "user")), 1e-9);
        assertEquals(0.02, value(first, "node_cpu_guest_seconds_total", Map.of("cpu", "1", "mode", "nice")), 1e-9);
        assertEquals(0.75, value(first, "node_cpu_seconds_total", Map.of("cpu", "1", "mode", "steal")), 1e-9);
        assertNull(value(first, "node_cpu_utilisation_ratio", Map.of()));
        // 300 ticks later: 60 user, 15 system, 200 idle, 25 iowait -> busy 75 of 300
        Files.writeString(copy.resolve("stat"), "cpu  10132213 290696 3084734 46828683 16708 0 25195 175 12 3\n"
                + "cpu0 1 2 3 4 5 6 7 8 9 10\n");
        List<Point> second = cpu.collect(NOW + 10_000);
        assertEquals(0.25, value(second, "node_cpu_utilisation_ratio", Map.of()), 1e-9);
    }

    @Test
    void loadAndSystemAcrossKernels() throws Exception {
        List<Point> load = new LoadCollector(fixture("linux-4.15")).collect(NOW);
        assertEquals(1.5, value(load, "node_load1", Map.of()));
        assertEquals(0.75, value(load, "node_load5", Map.of()));
        assertEquals(0.25, value(load, "node_load15", Map.of()));

        List<Point> system = new SystemCollector(fixture("linux-4.15")).collect(NOW);
        assertEquals(1577836800.0, value(system, "node_boot_time_seconds", Map.of()));
        assertEquals(9953744.0, value(system, "node_context_switches_total", Map.of()));
        assertEquals(52104.0, value(system, "node_forks_total", Map.of()));
        assertEquals(5310203.0, value(system, "node_intr_total", Map.of()));
        assertEquals(2.0, value(system, "node_procs_running", Map.of()));
        assertEquals(1.0, value(system, "node_procs_blocked", Map.of()));
        assertEquals(86400.5, value(system, "node_uptime_seconds", Map.of()));
        assertEquals(412.0, value(system, "node_processes_threads", Map.of()));
        assertEquals(3.0, value(system, "node_processes_pids", Map.of()), "the fixture has /proc/1, /proc/42, /proc/4242");
        assertEquals(350735.47, value(new SystemCollector(fixture("linux-2.6.9")).collect(NOW), "node_uptime_seconds",
                Map.of()));
    }

    @Test
    void memoryWithAndWithoutMemAvailable() throws Exception {
        List<Point> modern = new MemoryCollector(fixture("linux-4.15")).collect(NOW);
        assertEquals(8167848.0 * 1024, value(modern, "node_memory_MemTotal_bytes", Map.of()));
        assertEquals(6023644.0 * 1024, value(modern, "node_memory_MemAvailable_bytes", Map.of()));
        assertEquals(4343692.0 * 1024, value(modern, "node_memory_Cached_bytes", Map.of()));
        assertEquals((8167848.0 - 6023644.0) * 1024, value(modern, "node_memory_used_bytes", Map.of()));
        assertEquals((2097148.0 - 2096124.0) * 1024, value(modern, "node_memory_swap_used_bytes", Map.of()));
        assertFalse(names(modern).contains("node_memory_HugePages_Total_bytes"), "only the listed fields");

        // 2.6.9 has no MemAvailable: MemFree + Buffers + Cached
        List<Point> old = new MemoryCollector(fixture("linux-2.6.9")).collect(NOW);
        assertEquals((35232.0 + 112716 + 557112) * 1024, value(old, "node_memory_MemAvailable_bytes", Map.of()));
        assertEquals(0.0, value(old, "node_memory_swap_used_bytes", Map.of()));
    }

    @Test
    void diskstatsOf14And20FieldKernelsWithoutPartitionsOrRamDisks() throws Exception {
        List<Point> old = new DiskCollector(fixture("linux-2.6.9")).collect(NOW);
        Set<String> devices = old.stream().map(p -> p.labels().get("device")).collect(Collectors.toSet());
        assertEquals(Set.of("hda", "sda"), devices, "partitions (hda1, sda1) and ram0 excluded");
        assertEquals(9550688.0 * 512, value(old, "node_disk_read_bytes_total", Map.of("device", "hda")));
        assertEquals(19310.38, value(old, "node_disk_write_time_seconds_total", Map.of("device", "hda")), 1e-9);
        assertEquals(0.0, value(old, "node_disk_io_now", Map.of("device", "sda")));
        assertFalse(names(old).contains("node_disk_discards_completed_total"));

        List<Point> v415 = new DiskCollector(fixture("linux-4.15")).collect(NOW);
        assertEquals(Set.of("sda", "nvme0n1"), v415.stream().map(p -> p.labels().get("device")).collect(Collectors.toSet()),
                "loop0, sda1 and nvme0n1p1 excluded");
        assertEquals(2.0, value(v415, "node_disk_io_now", Map.of("device", "nvme0n1")));

        List<Point> modern = new DiskCollector(fixture("linux-5.15")).collect(NOW);
        assertEquals(Set.of("nvme0n1", "dm-0"), modern.stream().map(p -> p.labels().get("device"))
                .collect(Collectors.toSet()), "zram0 and the partition excluded");
        assertEquals(21240.0, value(modern, "node_disk_discards_completed_total", Map.of("device", "nvme0n1")));
        assertEquals(97643344.0, value(modern, "node_disk_discarded_sectors_total", Map.of("device", "nvme0n1")));
        assertEquals(88231.0, value(modern, "node_disk_flush_requests_total", Map.of("device", "nvme0n1")));
        assertEquals(77.866, value(modern, "node_disk_flush_requests_time_seconds_total", Map.of("device", "nvme0n1")),
                1e-9);
        assertEquals(457349.0, value(modern, "node_disk_reads_completed_total", Map.of("device", "nvme0n1")));
    }

    @Test
    void networkFromProcAndSys() throws Exception {
        List<Point> v415 = new NetworkCollector(fixture("linux-4.15")).collect(NOW);
        Map<String, String> ens3 = Map.of("device", "ens3");
        assertEquals(9876543210.0, value(v415, "node_network_receive_bytes_total", ens3));
        assertEquals(7654321.0, value(v415, "node_network_receive_packets_total", ens3));
        assertEquals(2.0, value(v415, "node_network_receive_errs_total", ens3));
        assertEquals(5.0, value(v415, "node_network_receive_drop_total", ens3));
        assertEquals(1234567890.0, value(v415, "node_network_transmit_bytes_total", ens3));
        assertEquals(1.0, value(v415, "node_network_transmit_errs_total", ens3));
        assertEquals(3.0, value(v415, "node_network_transmit_drop_total", ens3));
        assertEquals(1.0, value(v415, "node_network_up", ens3));
        assertEquals(9001.0, value(v415, "node_network_mtu_bytes", ens3));
        assertEquals(0.0, value(v415, "node_network_up", Map.of("device", "lo")), "operstate unknown is not up");

        List<Point> old = new NetworkCollector(fixture("linux-2.6.9")).collect(NOW);
        assertEquals(1375103.0, value(old, "node_network_receive_bytes_total", Map.of("device", "eth0")),
                "eth0:1375103 without a space");
        assertEquals(1703981.0, value(old, "node_network_transmit_bytes_total", Map.of("device", "eth0")));
        assertNull(value(old, "node_network_up", Map.of("device", "eth0")), "no /sys in the 2.6.9 fixture");

        List<Point> modern = new NetworkCollector(fixture("linux-5.15")).collect(NOW);
        assertEquals(4.0, value(modern, "node_network_transmit_drop_total", Map.of("device", "enp0s31f6")));
    }

    @Test
    void filesystemsWithoutPseudoFilesystemsAndWithEscapedMountPoints() throws Exception {
        List<Point> old = new FilesystemCollector(fixture("linux-2.6.9"), FIXED_STATFS).collect(NOW);
        Set<String> mounts = old.stream().map(p -> p.labels().get("mountpoint")).collect(Collectors.toSet());
        assertEquals(Set.of("/", "/boot", "/mnt/My Backup"), mounts, "rootfs/proc/devpts and /dev/shm excluded");
        Map<String, String> root = Map.of("device", "/dev/root", "fstype", "ext3", "mountpoint", "/");
        assertEquals(4096.0 * 1000, value(old, "node_filesystem_size_bytes", root), "the later mount on / wins");
        assertEquals(4096.0 * 400, value(old, "node_filesystem_free_bytes", root));
        assertEquals(4096.0 * 300, value(old, "node_filesystem_avail_bytes", root));
        assertEquals(4096.0 * 600, value(old, "node_filesystem_used_bytes", root));
        assertEquals(500.0, value(old, "node_filesystem_files", root));
        assertEquals(200.0, value(old, "node_filesystem_files_free", root));

        List<Point> v415 = new FilesystemCollector(fixture("linux-4.15"), FIXED_STATFS).collect(NOW);
        assertEquals(Set.of("/", "/run", "/data"), v415.stream().map(p -> p.labels().get("mountpoint"))
                .collect(Collectors.toSet()), "sysfs, proc, devtmpfs, cgroup, squashfs excluded");
        List<Point> modern = new FilesystemCollector(fixture("linux-5.15"), FIXED_STATFS).collect(NOW);
        assertEquals(Set.of("/", "/boot/efi"), modern.stream().map(p -> p.labels().get("mountpoint"))
                .collect(Collectors.toSet()), "cgroup2, bpf and docker's overlay mounts excluded");
    }

    @Test
    void everyCollectorOnThisMachine() throws IOException {
        ProcFs real = ProcFs.real();
        CpuCollector cpu = new CpuCollector(real);
        List<Point> cpuPoints = cpu.collect(System.currentTimeMillis());
        int cpus = Runtime.getRuntime().availableProcessors();
        assertTrue(cpuPoints.stream().filter(p -> p.labels().getOrDefault("mode", "").equals("idle")).count() >= cpus,
                "an idle counter per CPU: " + cpuPoints.size());
        burn(200);
        double utilisation = value(cpu.collect(System.currentTimeMillis()), "node_cpu_utilisation_ratio", Map.of());
        assertTrue(utilisation > 0 && utilisation <= 1, "utilisation " + utilisation);

        List<Point> memory = new MemoryCollector(real).collect(System.currentTimeMillis());
        double total = value(memory, "node_memory_MemTotal_bytes", Map.of());
        double available = value(memory, "node_memory_MemAvailable_bytes", Map.of());
        assertTrue(total > 100e6 && available > 0 && available <= total, total + " / " + available);

        assertTrue(value(new LoadCollector(real).collect(0), "node_load1", Map.of()) >= 0);
        List<Point> system = new SystemCollector(real).collect(0);
        assertTrue(value(system, "node_processes_pids", Map.of()) >= 1);
        assertTrue(value(system, "node_uptime_seconds", Map.of()) > 0);

        List<Point> network = new NetworkCollector(real).collect(0);
        assertTrue(value(network, "node_network_receive_bytes_total", Map.of("device", "lo")) >= 0, "lo is there");

        List<Point> filesystems = new FilesystemCollector(real, new StatCommand()).collect(0);
        Point size = filesystems.stream().filter(p -> p.name().equals("node_filesystem_size_bytes")
                && p.labels().get("mountpoint").equals("/")).findFirst().orElseThrow(() -> new AssertionError(
                "no / in " + filesystems));
        assertTrue(size.value() > 0);
        assertTrue(filesystems.stream().noneMatch(p -> p.labels().get("fstype").equals("proc")));
        new DiskCollector(real).collect(0); // may be empty in a container; must parse
    }

    private static void burn(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += System.nanoTime() % 7;
        }
        if (x == 42) {
            System.out.print("");
        }
    }
}
