// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A subcommand another bundle adds to a verb ({@code tessera <verb> <name> args...}), e.g. the benchmarks
 * bundle's {@code tessera tracker bench}. Registered as a service of this type (not as a {@link Verb}, so it
 * is no top-level command) with the service property {@link #PARENT} naming the verb; the verb finds it by
 * {@link #name()} and passes it the words after the name. {@link #usage()} is shown by the verb's help.
 *
 * @since 0.2
 */
@ConsumerType
public interface Subcommand extends Verb {
    /** Service property: the name of the verb this subcommand belongs to, e.g. {@code tracker}. */
    String PARENT = "tessera.verb";
}
