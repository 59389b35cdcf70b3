package dev.scanflow.io;

import dev.scanflow.exec.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Checkpoints {@code ckpt-<step>.zip} in one directory, keeping the newest {@code maxToKeep}. */
public final class CheckpointManager {
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d+)\\.zip");
  private final Path dir;
  private final int maxToKeep;

  public CheckpointManager(Path dir, int maxToKeep) {
    if (maxToKeep < 1) {
      throw new IllegalArgumentException("maxToKeep must be >= 1, got " + maxToKeep);
    }
    this.dir = dir;
    this.maxToKeep = maxToKeep;
  }

  /** Saves all variables as {@code ckpt-<step>.zip}, then deletes the oldest beyond the limit. */
  public Path save(Session session, long step) {
    Path file = dir.resolve("ckpt-" + step + ".zip");
    Checkpoint.save(session, file, step);
    List<Path> all = checkpoints();
    for (int i = 0; i < all.size() - maxToKeep; i++) {
      try {
        Files.deleteIfExists(all.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete old checkpoint " + all.get(i), e);
      }
    }
    return file;
  }

  /** The checkpoints in the directory, oldest (lowest step) first. */
  public List<Path> checkpoints() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> out = new ArrayList<>();
      files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
      out.sort(Comparator.comparingLong(CheckpointManager::stepOf));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }

  /** The newest checkpoint, if any. */
  public Optional<Path> latest() {
    List<Path> all = checkpoints();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  private static long stepOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
