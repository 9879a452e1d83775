// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterNetwork;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterOptions;
import org.tessera.cluster.core.DisplaySettings;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads and writes the cluster configuration XML. Reading uses the JDK's SAX parser hardened against
 * DOCTYPEs and external entities, validates against {@code schema/cluster-config.xsd}, then checks
 * what the schema cannot (host syntax, duplicate nodes). Writing is canonical: every attribute, fixed
 * order, so a round trip is lossless.
 */
public final class ClusterXml {
    /** Largest document accepted, in characters. */
    public static final int MAX_CHARS = 8 * 1024 * 1024;
    /** Bundle path of the schema. */
    public static final String SCHEMA_RESOURCE = "/schema/cluster-config.xsd";

    private static volatile Schema schema;

    private ClusterXml() {
    }

    static Schema schema() {
        Schema s = schema;
        if (s == null) {
            synchronized (ClusterXml.class) {
                s = schema;
                if (s == null) {
                    try (InputStream in = ClusterXml.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("schema " + SCHEMA_RESOURCE + " missing from the bundle");
                        }
                        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                        s = f.newSchema(new StreamSource(in));
                        schema = s;
                    } catch (IOException | SAXException e) {
                        throw new IllegalStateException("cannot load " + SCHEMA_RESOURCE + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return s;
    }

    private static SAXParser parser() throws ParserConfigurationException, SAXException {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setXIncludeAware(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setSchema(schema());
        SAXParser p = f.newSAXParser();
        p.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        p.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return p;
    }

    /**
     * Parses a configuration document.
     *
     * @throws ClusterConfigException with the line and column of the first problem
     */
    public static ClusterConfig parse(String xml) {
        if (xml.length() > MAX_CHARS) {
            throw new ClusterConfigException("configuration larger than " + MAX_CHARS + " characters", 0, 0, null);
        }
        Handler handler = new Handler();
        try {
            parser().parse(new InputSource(new StringReader(xml)), handler);
        } catch (ClusterConfigException e) {
            throw e;
        } catch (SAXParseException e) {
            String msg = e.getMessage() == null ? "malformed XML" : e.getMessage();
            if (msg.contains("DOCTYPE")) {
                msg = "DOCTYPE declarations and entities are not allowed in cluster configurations";
            }
            throw new ClusterConfigException(msg, Math.max(e.getLineNumber(), 0), Math.max(e.getColumnNumber(), 0),
                    null);
        } catch (SAXException e) {
            Exception inner = e.getException();
            if (inner instanceof ClusterConfigException c) {
                throw c;
            }
            throw new ClusterConfigException("malformed XML: " + e.getMessage(), 0, 0, null);
        } catch (IOException | ParserConfigurationException e) {
            throw new ClusterConfigException("cannot read XML: " + e.getMessage(), 0, 0, null);
        }
        return handler.result();
    }

    private static final class Handler extends DefaultHandler {
        private Locator locator;
        private ClusterOptions options = ClusterOptions.DEFAULT;
        private DisplaySettings display = DisplaySettings.DEFAULT;
        private final List<ClusterNetwork> networks = new ArrayList<>();
        private String networkName;
        private List<ClusterNode> nodes;
        private final Set<String> seenNodes = new HashSet<>();
        private final Set<String> seenNetworks = new HashSet<>();
        private boolean sawRoot;

        @Override
        public void setDocumentLocator(Locator value) {
            this.locator = value;
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }

        private ClusterConfigException fault(String problem, String token) {
            return new ClusterConfigException(problem, locator == null ? 0 : locator.getLineNumber(),
                    locator == null ? 0 : locator.getColumnNumber(), token);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            if (!sawRoot) {
                sawRoot = true;
                if (!"cluster".equals(localName) || !ClusterConfig.NAMESPACE.equals(uri)) {
                    throw fault("the root element must be <cluster xmlns=\"" + ClusterConfig.NAMESPACE
                            + "\" version=\"1\">", qName);
                }
                return;
            }
            try {
                switch (localName) {
                    case "options" -> options = new ClusterOptions(
                            ClusterOptions.DataCompression.valueOf(
                                    value(atts, "dataCompression", "off").toUpperCase(Locale.ROOT)),
                            ClusterOptions.ImageCompression.valueOf(
                                    value(atts, "imageCompression", "lossless").toUpperCase(Locale.ROOT)),
                            Integer.parseInt(value(atts, "connectTimeoutMillis", "2000")),
                            Integer.parseInt(value(atts, "requestTimeoutMillis", "5000")),
                            Integer.parseInt(value(atts, "heartbeatMillis", "1000")));
                    case "network" -> {
                        networkName = atts.getValue("name");
                        if (!seenNetworks.add(networkName)) {
                            throw fault("network '" + networkName + "' is defined twice", networkName);
                        }
                        nodes = new ArrayList<>();
                    }
                    case "node" -> {
                        String host = atts.getValue("host");
                        if (host.startsWith("[") && host.endsWith("]")) {
                            host = host.substring(1, host.length() - 1);
                        }
                        String problem = HostNames.problem(host);
                        if (problem != null) {
                            throw fault(problem, host);
                        }
                        ClusterNode node = new ClusterNode(host, Integer.parseInt(value(atts, "port", "7701")),
                                Integer.parseInt(value(atts, "threads", "0")),
                                Boolean.parseBoolean(value(atts, "enabled", "true").trim()));
                        if (!seenNodes.add(host.toLowerCase(Locale.ROOT) + "|" + node.port())) {
                            throw fault("node " + node.address() + " is listed twice", host);
                        }
                        nodes.add(node);
                    }
                    case "display" -> display = new DisplaySettings(
                            Double.parseDouble(value(atts, "eyeSeparation", "65.0")),
                            Double.parseDouble(value(atts, "zeroParallax", "1000.0")),
                            bool(atts, "showTiles"), bool(atts, "showTestImage"),
                            Integer.parseInt(value(atts, "rows", "1")),
                            Integer.parseInt(value(atts, "columns", "1")));
                    default -> throw fault("unknown element <" + qName + ">", qName);
                }
            } catch (IllegalArgumentException e) {
                if (e instanceof ClusterConfigException c) {
                    throw c;
                }
                throw fault(e.getMessage(), qName);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if ("network".equals(localName)) {
                networks.add(new ClusterNetwork(networkName, nodes));
                nodes = null;
            }
        }

        private static String value(Attributes atts, String name, String fallback) {
            String v = atts.getValue(name);
            return v == null ? fallback : v.trim();
        }

        private static boolean bool(Attributes atts, String name) {
            String v = value(atts, name, "false");
            return v.equals("true") || v.equals("1");
        }

        ClusterConfig result() {
            return new ClusterConfig(options, networks, display);
        }
    }

    /** The canonical document of a configuration. */
    public static String write(ClusterConfig config) {
        StringBuilder sb = new StringBuilder(256 + 64 * config.nodes().size());
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<cluster xmlns=\"").append(ClusterConfig.NAMESPACE).append("\" version=\"1\">\n");
        ClusterOptions o = config.options();
        sb.append("  <options dataCompression=\"").append(o.dataCompression().name().toLowerCase(Locale.ROOT))
                .append("\" imageCompression=\"").append(o.imageCompression().name().toLowerCase(Locale.ROOT))
                .append("\" connectTimeoutMillis=\"").append(o.connectTimeoutMillis())
                .append("\" requestTimeoutMillis=\"").append(o.requestTimeoutMillis())
                .append("\" heartbeatMillis=\"").append(o.heartbeatMillis()).append("\"/>\n");
        for (ClusterNetwork n : config.networks()) {
            sb.append("  <network name=\"").append(escape(n.name())).append("\">\n");
            for (ClusterNode node : n.nodes()) {
                sb.append("    <node host=\"").append(escape(node.host())).append("\" port=\"").append(node.port())
                        .append("\" threads=\"").append(node.threads()).append("\" enabled=\"")
                        .append(node.enabled()).append("\"/>\n");
            }
            sb.append("  </network>\n");
        }
        DisplaySettings d = config.display();
        sb.append("  <display eyeSeparation=\"").append(decimal(d.eyeSeparation()))
                .append("\" zeroParallax=\"").append(decimal(d.zeroParallax()))
                .append("\" showTiles=\"").append(d.showTiles())
                .append("\" showTestImage=\"").append(d.showTestImage())
                .append("\" rows=\"").append(d.rows())
                .append("\" columns=\"").append(d.columns()).append("\"/>\n");
        sb.append("</cluster>\n");
        return sb.toString();
    }

    private static String decimal(double value) {
        return BigDecimal.valueOf(value).toPlainString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace(">", "&gt;");
    }
}
