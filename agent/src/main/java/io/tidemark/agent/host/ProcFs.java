package io.tidemark.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads files below a /proc and a /sys root; tests point these at fixture trees of other kernels. */
public record ProcFs(Path proc, Path sys) {

    public static ProcFs real() {
        return new ProcFs(Path.of("/proc"), Path.of("/sys"));
    }

    public List<String> lines(String relative) throws IOException {
        return Files.readAllLines(proc.resolve(relative));
    }

    /** The file's lines, or an empty list when this kernel does not have it. */
    public List<String> linesIfPresent(String relative) throws IOException {
        try {
            return lines(relative);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    public String text(String relative) throws IOException {
        return Files.readString(proc.resolve(relative));
    }
}
