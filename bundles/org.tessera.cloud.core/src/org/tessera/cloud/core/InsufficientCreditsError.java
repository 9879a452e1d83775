// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/** The user's available credits are not positive, so nothing can be uploaded or submitted. */
public class InsufficientCreditsError extends EnvoyError {
    private static final long serialVersionUID = 1L;
    private final double creditsAvailable;

    public InsufficientCreditsError(double creditsAvailable) {
        super("insufficient credits: " + creditsAvailable + " available; buy credits or ask the farm to add some", null);
        this.creditsAvailable = creditsAvailable;
    }

    /** The balance the service reported, in credits. */
    public double creditsAvailable() {
        return creditsAvailable;
    }
}
