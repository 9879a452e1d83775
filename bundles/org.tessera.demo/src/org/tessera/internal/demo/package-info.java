// SPDX-License-Identifier: EPL-2.0
/**
 * {@code tessera demo}: the main job end to end on this machine, wired only through configurations
 * (stats folder, tracker database, tracker endpoint, node servers) and the services they start.
 */
package org.tessera.internal.demo;
