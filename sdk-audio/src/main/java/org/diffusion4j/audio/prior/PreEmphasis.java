package org.diffusion4j.audio.prior;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * First-order pre-emphasis y'[n] = y[n] − α·y[n−1] and its inverse, the de-emphasis y[n] = y'[n] + α·y[n−1]
 * (y[−1] = 0), used to let a vocoder's diffusion run on the pre-emphasised signal.
 *
 * <p>Why: diffusion on y' = P·y with N(0, I) noise is diffusion on y with the coloured prior N(0, P⁻¹P⁻ᵀ), so
 * whatever error the network leaves is white in y' and low-pass in the output after de-emphasis: with α = 0.85,
 * +16.5 dB at 0 Hz and −5.4 dB at the Nyquist frequency. LPCNet (Valin &amp; Skoglund 2019, §3.1) pre-emphasises
 * with α = 0.85 for the same reason, to shape its quantisation noise like speech. The project's vocoders leave a
 * spectrum that is too flat (sdk-audio/models/wavegrad-small/MODEL.md: the first cepstral coefficient, the
 * tilt, is 7–13 in the references and 3–4 in the output), which is where this aims.
 *
 * @param alpha the coefficient α in [0, 1); 0 is the identity
 */
public record PreEmphasis(double alpha) {

    /** LPCNet's coefficient. */
    public static final double LPCNET_ALPHA = 0.85;

    public PreEmphasis {
        if (!(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha: expected a value in [0, 1), got " + alpha);
        }
    }

    /** y' = y − α·y shifted by one sample along the last axis, per row of [..., T] (each row starts from 0). */
    public NDArray apply(NDArray y) {
        Objects.requireNonNull(y, "y");
        long t = y.getShape().get(y.getShape().dimension() - 1);
        if (alpha == 0 || t < 2) {
            return alpha == 0 ? y : y.duplicate();
        }
        String all = y.getShape().dimension() == 1 ? "" : ":, ".repeat(y.getShape().dimension() - 1);
        NDArray previous = y.get(all + "0:" + (t - 1));
        NDArray head = y.get(all + "0:1");
        NDArray tail = y.get(all + "1:").sub(previous.mul(alpha));
        return head.concat(tail, -1);
    }

    /** y' = y − α·y[n−1] of one signal (y[−1] = 0). */
    public float[] apply(float[] y) {
        Objects.requireNonNull(y, "y");
        float[] out = new float[y.length];
        double previous = 0;
        for (int n = 0; n < y.length; n++) {
            out[n] = (float) (y[n] - alpha * previous);
            previous = y[n];
        }
        return out;
    }

    /** The inverse of {@link #apply(float[])}: y[n] = y'[n] + α·y[n−1], in double precision. */
    public float[] invert(float[] emphasised) {
        Objects.requireNonNull(emphasised, "emphasised");
        float[] out = new float[emphasised.length];
        double previous = 0;
        for (int n = 0; n < emphasised.length; n++) {
            previous = emphasised[n] + alpha * previous;
            out[n] = (float) previous;
        }
        return out;
    }
}
