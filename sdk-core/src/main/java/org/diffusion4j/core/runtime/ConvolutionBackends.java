package org.diffusion4j.core.runtime;

import ai.djl.engine.Engine;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Switches libtorch's NNPACK convolution backend off ({@code torch.backends.nnpack.enabled = False} in Python),
 * which DJL does not expose.
 *
 * <p>Why: libtorch 2.7.1 asks whether NNPACK is available for every CPU convolution that oneDNN does not take
 * (batch 1 with at most 20,480 input elements, 1×1 kernels at batch below 16 with one thread) before it checks
 * the batch size NNPACK needs (16 or more), and on a machine where NNPACK cannot initialise (AVX-512 hosts such
 * as this project's) every such question logs {@code Could not initialize NNPACK! Reason: Unsupported hardware.}
 * to stderr: about 500 lines for one 20-step MNIST image at batch 1. With NNPACK switched off the question is
 * never asked. Nothing else changes: those convolutions never ran on NNPACK (too small a batch), and the others
 * go to oneDNN first. Where NNPACK works, batches of 16 or more that oneDNN declines would use libtorch's im2col
 * convolution instead.
 *
 * <p>It calls {@code at::globalContext().setUserEnabledNNPACK(false)} of the loaded {@code libtorch_cpu} through
 * JNA (already a DJL dependency). Process-wide, explicit (the SDK never calls it by itself; the samples CLI does).
 */
public final class ConvolutionBackends {

    /** System property read by {@link #applyNnpackProperty()}: {@code on} keeps libtorch's NNPACK backend. */
    public static final String NNPACK_PROPERTY = "diffusion4j.nnpack";

    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private static final String GET_NNPACK = "_ZNK2at7Context17userEnabledNNPACKEv";

    private ConvolutionBackends() {
    }


    /**
     * Switches NNPACK off for the whole process, loading DJL's engine first if needed. Where the engine is not
     * PyTorch or the libtorch symbols are missing (another libtorch build), it changes nothing and says why; it
     * never throws for that.
     */
    public static SettingOutcome disableNnpack() {
        return setNnpackEnabled(false);
    }

    /**
     * What the samples CLI and the benchmarks apply at start-up: {@link #disableNnpack()} unless the system
     * property {@value #NNPACK_PROPERTY} is {@code on}, in which case libtorch's default (on) is left alone.
     * Returns a line saying which happened, for a benchmark's header.
     */
    public static String applyNnpackProperty() {
        String value = System.getProperty(NNPACK_PROPERTY);
        if (value != null && !value.equals("on") && !value.equals("off")) {
            throw new IllegalArgumentException("-D" + NNPACK_PROPERTY + ": expected on or off, got " + value);
        }
        if ("on".equals(value)) {
            return "NNPACK: libtorch default (on), -D" + NNPACK_PROPERTY + "=on";
        }
        SettingOutcome outcome = disableNnpack();
        return "NNPACK: " + (outcome.applied() ? "" : "not switched off, ") + outcome.detail();
    }

    /** {@link #disableNnpack()} and its inverse (libtorch's default is enabled). */
    public static SettingOutcome setNnpackEnabled(boolean enabled) {
        String engine = Engine.getInstance().getEngineName();
        if (!"PyTorch".equals(engine)) {
            return new SettingOutcome(false, "engine is " + engine + ", not PyTorch");
        }
        try {
            NativeLibrary torch = NativeLibrary.getInstance("torch_cpu");
            Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
            torch.getFunction(SET_NNPACK).invokeVoid(new Object[] {context, enabled});
            return nnpackEnabled(torch, context) == enabled
                    ? new SettingOutcome(true, "libtorch NNPACK backend " + (enabled ? "on" : "off"))
                    : new SettingOutcome(false, "libtorch did not take NNPACK " + (enabled ? "on" : "off"));
        } catch (UnsatisfiedLinkError e) {
            return new SettingOutcome(false, "libtorch_cpu or its context symbols not found (" + e.getMessage() + ")");
        }
    }

    /** Whether libtorch would consider NNPACK for a convolution; false outside PyTorch or without the symbols. */
    static boolean nnpackEnabled() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return false;
        }
        try {
            NativeLibrary torch = NativeLibrary.getInstance("torch_cpu");
            return nnpackEnabled(torch, torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]));
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static boolean nnpackEnabled(NativeLibrary torch, Pointer context) {
        Function get = torch.getFunction(GET_NNPACK);
        return (get.invokeInt(new Object[] {context}) & 0xff) != 0; // a C++ bool: only the low byte is defined
    }
}
