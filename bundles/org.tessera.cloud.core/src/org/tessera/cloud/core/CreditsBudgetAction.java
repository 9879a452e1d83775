// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/** What the service does when a job's consumed credits reach its budget ({@link Job#setCreditsBudget}). */
public enum CreditsBudgetAction {
    /** Stop the job at once: running tasks are cancelled, nothing more is started. */
    STOP,
    /** Let running tasks finish, start no new ones. */
    SUSPEND,
    /** Keep going; only alert the user (an e-mail on GridMarkets, a status message on Tessera). */
    ALERT;

    /** The wire form, lower case. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the wire form, case-insensitively. */
    public static CreditsBudgetAction fromWire(String value) {
        return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
