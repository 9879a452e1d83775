// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.util.List;

/**
 * A product (application such as {@code hou}) or product plugin ({@code hou_redshift}) with its
 * versions, as the {@link ProductResolver} answers.
 *
 * @param code short code used in jobs, e.g. {@code povray}
 * @param versions known versions, oldest first as the service lists them
 * @param isPlugin whether this is a plugin of another product
 * @param name display name
 * @param businessVertical e.g. {@code media}
 */
public record ProductType(String code, List<String> versions, boolean isPlugin, String name, String businessVertical) {
    public ProductType {
        versions = List.copyOf(versions);
    }
}
