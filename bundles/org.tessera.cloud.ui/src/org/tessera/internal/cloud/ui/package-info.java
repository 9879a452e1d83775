// SPDX-License-Identifier: EPL-2.0
/**
 * Cloud submission: a wizard (account kept in secure storage, product and version from the service's
 * resolver, machine type, frames, instances, budget, a dependent job, watch files) and the Cloud
 * Submissions view polling each project's upload and render progress. Every service call runs in a job.
 */
package org.tessera.internal.cloud.ui;
