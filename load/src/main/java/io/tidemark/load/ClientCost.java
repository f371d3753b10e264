package io.tidemark.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU and GC time this JVM spent, so a report shows how much of a shared machine the simulator
 * itself took while the clock ran.
 */
record ClientCost(long cpuNanos, long gcMillis) {

    static ClientCost now() {
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
        long gc = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, bean.getCollectionTime());
        }
        return new ClientCost(cpu, gc);
    }

    ClientCost since(ClientCost start) {
        return new ClientCost(cpuNanos < 0 ? -1 : cpuNanos - start.cpuNanos, gcMillis - start.gcMillis);
    }
}
