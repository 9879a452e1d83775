// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/**
 * The logged-in user's account, as {@code GET /user-info} reports it.
 *
 * @param created account creation time, ISO-8601 local date-time
 * @param creditsAvailable balance, in credits
 * @param creditsConsumed credits used so far
 * @param emailAddress the login
 * @param jobThroughputLimit most concurrent instances one job may use
 * @param maxThroughput most concurrent instances over all jobs
 * @param name display name
 * @param servicePlan plan name, e.g. {@code Standard}
 */
public record UserInfo(String created, double creditsAvailable, double creditsConsumed, String emailAddress,
        int jobThroughputLimit, int maxThroughput, String name, String servicePlan) {
}
