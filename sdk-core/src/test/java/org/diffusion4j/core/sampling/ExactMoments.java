package org.diffusion4j.core.sampling;

import org.diffusion4j.core.schedule.NoiseSchedule;

/**
 * The exact output mean and variance of a sampler run on N(μ, σ²) data with the optimal denoiser, computed in
 * double from the papers' update formulas (independently of the code under test). With
 * x̂0(x) = μ + k·(x − √ᾱμ), k = √ᾱσ²/(ᾱσ² + 1 − ᾱ), and ε̂(x) = (x − √ᾱ·x̂0)/√(1 − ᾱ), every update is affine in the
 * state plus independent Gaussian noise, so moments propagate exactly from x_T ~ N(0, 1).
 */
final class ExactMoments {

    private ExactMoments() {
    }

    static double[] of(Sampler sampler, NoiseSchedule schedule, double mu, double sigma) {
        int[] ts = sampler.timesteps();
        // State (x, p) with p the previous x̂0 (DPM-Solver++ only): mean (mx, mp), covariance [[vxx, vxp], [., vpp]].
        double mx = 0;
        double mp = 0;
        double vxx = 1;
        double vxp = 0;
        double vpp = 0;
        double prevLambda = Double.NaN;
        for (int i = 0; i < ts.length; i++) {
            double a = schedule.alphaCumprod(ts[i]);
            double ap = i + 1 < ts.length ? schedule.alphaCumprod(ts[i + 1]) : 1.0;
            double k = Math.sqrt(a) * sigma * sigma / (a * sigma * sigma + 1 - a);
            double c0 = mu - k * Math.sqrt(a) * mu; // x̂0 = k·x + c0
            // New x = A·x + B·p + C + noise with variance S.
            double aa;
            double bb = 0;
            double cc;
            double noiseVar = 0;
            if (sampler instanceof DdimSampler ddim) {
                double eta = ddim.eta();
                double s = eta * Math.sqrt((1 - ap) / (1 - a)) * Math.sqrt(1 - a / ap);
                double e = Math.sqrt(Math.max(0, 1 - ap - s * s));
                // x' = √ap·x̂0 + e·(x − √a·x̂0)/√(1−a) + s·z   (Song et al. eq. 12)
                double onX0 = Math.sqrt(ap) - e * Math.sqrt(a) / Math.sqrt(1 - a);
                aa = onX0 * k + e / Math.sqrt(1 - a);
                cc = onX0 * c0;
                noiseVar = s * s;
            } else if (sampler instanceof DdpmSampler) {
                // Posterior of the chain on the visited steps: β' = 1 − a/ap, mean = coef1·x̂0 + coef2·x, var β̃'.
                double beta = 1 - a / ap;
                double coef1 = Math.sqrt(ap) * beta / (1 - a);
                double coef2 = Math.sqrt(1 - beta) * (1 - ap) / (1 - a);
                aa = coef1 * k + coef2;
                cc = coef1 * c0;
                noiseVar = i + 1 < ts.length ? beta * (1 - ap) / (1 - a) : 0;
            } else {
                // DPM-Solver++(2M), Lu et al. 2022 Algorithm 2; the final step (λ = ∞) returns x̂0.
                double lambda = 0.5 * Math.log(a / (1 - a));
                if (i + 1 == ts.length) {
                    aa = k;
                    cc = c0;
                } else {
                    double lambdaNext = 0.5 * Math.log(ap / (1 - ap));
                    double h = lambdaNext - lambda;
                    double phi = Math.sqrt(ap) * (1 - Math.exp(-h));
                    double ratio = Math.sqrt(1 - ap) / Math.sqrt(1 - a);
                    double w0 = 1;
                    double w1 = 0;
                    if (i > 0) {
                        double r = (lambda - prevLambda) / h;
                        w0 = 1 + 1 / (2 * r);
                        w1 = -1 / (2 * r);
                    }
                    aa = ratio + phi * w0 * k;
                    bb = phi * w1;
                    cc = phi * w0 * c0;
                }
                prevLambda = lambda;
            }
            double nmx = aa * mx + bb * mp + cc;
            double nvxx = aa * aa * vxx + 2 * aa * bb * vxp + bb * bb * vpp + noiseVar;
            // New p = x̂0(old x) = k·x + c0.
            double nmp = k * mx + c0;
            double nvpp = k * k * vxx;
            double nvxp = k * (aa * vxx + bb * vxp);
            mx = nmx;
            vxx = nvxx;
            mp = nmp;
            vpp = nvpp;
            vxp = nvxp;
        }
        return new double[] {mx, vxx};
    }
}
