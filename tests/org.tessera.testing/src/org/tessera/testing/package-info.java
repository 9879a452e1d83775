// SPDX-License-Identifier: EPL-2.0
/**
 * Support for Tessera's test bundles: real services from the running framework, real product
 * processes, free loopback ports. Not shipped in any feature.
 */
package org.tessera.testing;
