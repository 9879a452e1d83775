// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.List;
import java.util.Objects;

import org.tessera.internal.cluster.core.ClusterXml;
import org.tessera.internal.cluster.core.HostListParser;

/**
 * A cluster configuration: global options, networks of nodes, display settings. Immutable.
 * Text forms: a host list ({@code "pc1 pc2, node01 - node12, master {a b}, localhost:7702, [::1]:7703"})
 * and the XML document described in {@code docs/cluster-config.md} (schema
 * {@code schema/cluster-config.xsd} in this bundle, namespace {@link #NAMESPACE}).
 *
 * @param options  global options
 * @param networks groups of nodes, in configuration order
 * @param display  display-cluster settings
 */
public record ClusterConfig(ClusterOptions options, List<ClusterNetwork> networks, DisplaySettings display) {
    /** XML namespace of the configuration document: {@value}. */
    public static final String NAMESPACE = "urn:tessera:cluster:1";

    /** No nodes, default options and display. */
    public static final ClusterConfig EMPTY = new ClusterConfig(ClusterOptions.DEFAULT, List.of(),
            DisplaySettings.DEFAULT);

    public ClusterConfig {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(display, "display");
        networks = List.copyOf(networks);
    }

    /** Every node of every network, in configuration order. */
    public List<ClusterNode> nodes() {
        return networks.stream().flatMap(n -> n.nodes().stream()).toList();
    }

    public ClusterConfig withDisplay(DisplaySettings value) {
        return new ClusterConfig(options, networks, value);
    }

    public ClusterConfig withOptions(ClusterOptions value) {
        return new ClusterConfig(value, networks, display);
    }

    /**
     * Parses either form: text whose first non-blank character is {@code <} is XML, anything else a
     * host list.
     *
     * @throws ClusterConfigException naming the line, column and token at fault
     */
    public static ClusterConfig parse(String text) {
        Objects.requireNonNull(text, "text");
        return text.stripLeading().startsWith("<") ? ClusterXml.parse(text) : parseHostList(text);
    }

    /** Parses a host list; see the class comment and {@code docs/cluster-config.md} for the grammar. */
    public static ClusterConfig parseHostList(String hostList) {
        return new ClusterConfig(ClusterOptions.DEFAULT, HostListParser.parse(hostList), DisplaySettings.DEFAULT);
    }

    /** The canonical XML document of this configuration; {@link #parse} of it gives an equal object. */
    public String toXml() {
        return ClusterXml.write(this);
    }
}
