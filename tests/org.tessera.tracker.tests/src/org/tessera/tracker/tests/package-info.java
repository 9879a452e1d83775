// SPDX-License-Identifier: EPL-2.0
/**
 * Tests of the HTTP endpoint and the render tracker: real services, real servers on loopback, a real
 * H2 database, a real Python client and real tracker processes.
 */
package org.tessera.tracker.tests;
