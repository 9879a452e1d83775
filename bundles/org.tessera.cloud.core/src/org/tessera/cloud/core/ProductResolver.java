// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers questions about the service's products from one snapshot of {@code GET /products}:
 * all product types, the versions of one type, and the plugins compatible with given
 * {@code code} or {@code code:version} queries.
 */
public final class ProductResolver {
    private final List<Product> products;

    public ProductResolver(Collection<Product> products) {
        this.products = List.copyOf(products);
    }

    /** The raw entries. */
    public List<Product> products() {
        return products;
    }

    /** Every product type (and, when asked, plugin type) by code, with its versions. */
    public Map<String, ProductType> getAllTypes(boolean includePlugins) {
        Set<String> pluginCodes = pluginCodes();
        Map<String, List<String>> versions = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Product p : products) {
            versions.computeIfAbsent(p.appType(), k -> new ArrayList<>()).add(p.version());
            names.putIfAbsent(p.appType(), p.name());
        }
        for (Product p : products) {
            for (String module : p.compatibleModules()) {
                String[] cv = split(module);
                List<String> list = versions.computeIfAbsent(cv[0], k -> new ArrayList<>());
                if (cv[1] != null && !list.contains(cv[1])) {
                    list.add(cv[1]);
                }
                names.putIfAbsent(cv[0], cv[0]);
            }
        }
        Map<String, ProductType> result = new LinkedHashMap<>();
        versions.forEach((code, list) -> {
            boolean plugin = pluginCodes.contains(code);
            if (includePlugins || !plugin) {
                result.put(code, new ProductType(code, list, plugin, names.get(code), "media"));
            }
        });
        return result;
    }

    /** All product types including plugins. */
    public Map<String, ProductType> getAllTypes() {
        return getAllTypes(true);
    }

    /** The versions of one product or plugin code; empty when the code is unknown. */
    public List<String> getVersionsByType(String code) {
        ProductType type = getAllTypes(true).get(code);
        return type == null ? List.of() : type.versions();
    }

    /**
     * Plugins compatible with every query ({@code hou} or {@code hou:17.5.173}); versions are those
     * compatible with all queries.
     */
    public Map<String, ProductType> getCompatibleCombinations(String... queries) {
        Map<String, Set<String>> common = null;
        for (String query : queries) {
            String[] cv = split(query);
            Map<String, Set<String>> forQuery = new LinkedHashMap<>();
            for (Product p : products) {
                if (p.appType().equals(cv[0]) && (cv[1] == null || p.version().equals(cv[1]))) {
                    for (String module : p.compatibleModules()) {
                        String[] m = split(module);
                        Set<String> set = forQuery.computeIfAbsent(m[0], k -> new LinkedHashSet<>());
                        if (m[1] != null) {
                            set.add(m[1]);
                        }
                    }
                }
            }
            if (common == null) {
                common = forQuery;
            } else {
                common.keySet().retainAll(forQuery.keySet());
                common.forEach((code, set) -> set.retainAll(forQuery.get(code)));
            }
        }
        Map<String, ProductType> result = new LinkedHashMap<>();
        if (common != null) {
            common.forEach((code, set) -> result.put(code, new ProductType(code, List.copyOf(set), true, code, "media")));
        }
        return result;
    }

    /** Whether {@code code} (and {@code version}, when not null) is offered. */
    public boolean isOffered(String code, String version) {
        return products.stream().anyMatch(p -> p.appType().equals(code) && (version == null || p.version().equals(version)));
    }

    private Set<String> pluginCodes() {
        Set<String> codes = new LinkedHashSet<>();
        for (Product p : products) {
            if (p.isPlugin()) {
                codes.add(p.appType());
            }
            p.compatibleModules().forEach(m -> codes.add(split(m)[0]));
        }
        return codes;
    }

    private static String[] split(String codeVersion) {
        int colon = codeVersion.indexOf(':');
        return colon < 0 ? new String[] {codeVersion, null}
                : new String[] {codeVersion.substring(0, colon), codeVersion.substring(colon + 1)};
    }
}
