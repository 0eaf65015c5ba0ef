package org.diffusion4j.core.runtime;

/**
 * What a process-wide native setting of this package did: {@code applied} is false where the platform or the
 * loaded libtorch does not offer it, and {@code detail} says what was set or why nothing was.
 */
public record SettingOutcome(boolean applied, String detail) {
    @Override
    public String toString() {
        return (applied ? "applied: " : "not applied: ") + detail;
    }
}
