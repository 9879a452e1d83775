// SPDX-License-Identifier: EPL-2.0
package org.tessera.plugins.core;

/**
 * One installable plugin: a p2 feature (its installable unit is {@code id + ".feature.group"}).
 *
 * @param id          the feature id without the {@code .feature.group} suffix, e.g.
 *                    {@code org.tessera.examples.feature}
 * @param version     its version, e.g. {@code 0.1.0.202612080100}
 * @param name        its label for people (the id when it has none)
 * @param description its description; may be empty
 * @param installed   whether the running product has this feature installed (at any version)
 */
public record PluginFeature(String id, String version, String name, String description, boolean installed) {
}
