// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

/**
 * An ordered set of frame numbers written in the frames grammar shared by Envoy jobs and the tile
 * renderer: {@value #GRAMMAR}. Each comma-separated segment is {@code start}, {@code start end} or
 * {@code start end step}; frames may be negative, {@code end} must not be before {@code start}
 * and {@code step} must be positive. Iteration visits segments in the order written and skips frames
 * an earlier segment already produced, so {@code "1 10,5 15"} yields 1..15 once each.
 * <p>
 * Instances are immutable and cheap: frames are computed on the fly, never materialised, so
 * {@code "0 2000000000"} costs no memory.
 */
public final class FrameRange implements Iterable<Integer> {

    /** The grammar in one line, as shown in error messages and help texts. */
    public static final String GRAMMAR = "start [end] [step],[start [end] [step]],...";

    /** Longest accepted expression, in characters; keeps hostile input cheap to reject. */
    public static final int MAX_EXPRESSION_LENGTH = 10_000;

    /** One segment of a range: frames {@code start, start+step, ... <= end}. */
    public record Segment(int start, int end, int step) {
        public Segment {
            if (step <= 0) {
                throw new IllegalArgumentException("step must be positive: " + step);
            }
            if (end < start) {
                throw new IllegalArgumentException("end " + end + " is before start " + start);
            }
        }

        /** Number of frames in this segment alone. */
        public long count() {
            return ((long) end - start) / step + 1;
        }

        /** Last frame actually produced (may be below {@code end} when the step does not land on it). */
        public int last() {
            return (int) (start + (count() - 1) * step);
        }

        public boolean contains(int frame) {
            return frame >= start && frame <= end && ((long) frame - start) % step == 0;
        }

        /** Shortest form in the grammar: {@code "7"}, {@code "1 10"} or {@code "1 10 2"}. */
        @Override
        public String toString() {
            if (start == end) {
                return Integer.toString(start);
            }
            return step == 1 ? start + " " + end : start + " " + end + " " + step;
        }
    }

    private final List<Segment> segments;

    private FrameRange(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** A range of the given segments, in order. */
    public static FrameRange of(List<Segment> segments) {
        Objects.requireNonNull(segments, "segments");
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a frame range needs at least one segment");
        }
        return new FrameRange(segments);
    }

    /** {@code start..end} with step 1. */
    public static FrameRange of(int start, int end) {
        return of(start, end, 1);
    }

    public static FrameRange of(int start, int end, int step) {
        return new FrameRange(List.of(new Segment(start, end, step)));
    }

    /** A single frame. */
    public static FrameRange single(int frame) {
        return of(frame, frame, 1);
    }

    /**
     * Parses an expression in the frames grammar.
     *
     * @throws FrameRangeException naming the token and column at fault
     */
    public static FrameRange parse(String expression) {
        if (expression == null) {
            throw new FrameRangeException("", 0, "no frames given");
        }
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw new FrameRangeException(expression.substring(0, 40) + "...", 0,
                    "expression is longer than " + MAX_EXPRESSION_LENGTH + " characters");
        }
        if (expression.isBlank()) {
            throw new FrameRangeException(expression, 0, "no frames given");
        }
        List<Segment> result = new ArrayList<>();
        int segmentStart = 0;
        while (true) {
            int comma = expression.indexOf(',', segmentStart);
            int segmentEnd = comma < 0 ? expression.length() : comma;
            result.add(parseSegment(expression, segmentStart, segmentEnd));
            if (comma < 0) {
                break;
            }
            segmentStart = comma + 1;
        }
        return new FrameRange(result);
    }

    private static Segment parseSegment(String input, int from, int to) {
        int[] values = new int[3];
        int count = 0;
        int i = from;
        while (i < to) {
            char c = input.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int tokenStart = i;
            while (i < to && !Character.isWhitespace(input.charAt(i))) {
                i++;
            }
            String token = input.substring(tokenStart, i);
            if (count == 3) {
                throw new FrameRangeException(input, tokenStart + 1,
                        "unexpected \"" + token + "\": a segment has at most three numbers (start end step)");
            }
            values[count++] = parseNumber(input, token, tokenStart);
        }
        if (count == 0) {
            throw new FrameRangeException(input, from + 1,
                    to < input.length() || from > 0 ? "empty segment between commas" : "no frames given");
        }
        int start = values[0];
        int end = count >= 2 ? values[1] : start;
        int step = count == 3 ? values[2] : 1;
        int column = firstNonBlank(input, from, to) + 1;
        if (step <= 0) {
            throw new FrameRangeException(input, column, "step " + step + " must be a positive number");
        }
        if (end < start) {
            throw new FrameRangeException(input, column,
                    "end frame " + end + " is before start frame " + start);
        }
        return new Segment(start, end, step);
    }

    private static int parseNumber(String input, String token, int tokenStart) {
        int i = 0;
        if (token.charAt(0) == '-' || token.charAt(0) == '+') {
            i = 1;
        }
        if (i == token.length()) {
            throw new FrameRangeException(input, tokenStart + 1, "\"" + token + "\" is not a frame number");
        }
        for (int j = i; j < token.length(); j++) {
            if (token.charAt(j) < '0' || token.charAt(j) > '9') {
                throw new FrameRangeException(input, tokenStart + 1,
                        "\"" + token + "\" is not a whole number");
            }
        }
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new FrameRangeException(input, tokenStart + 1,
                    "\"" + token + "\" is outside the frame number range " + Integer.MIN_VALUE + " to "
                            + Integer.MAX_VALUE);
        }
    }

    private static int firstNonBlank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return from;
    }

    /** The segments as written. */
    public List<Segment> segments() {
        return segments;
    }

    /** Lowest frame of the range. */
    public int first() {
        return segments.stream().mapToInt(Segment::start).min().orElseThrow();
    }

    /** Highest frame of the range. */
    public int last() {
        return segments.stream().mapToInt(Segment::last).max().orElseThrow();
    }

    public boolean contains(int frame) {
        for (Segment s : segments) {
            if (s.contains(frame)) {
                return true;
            }
        }
        return false;
    }

    /** Number of distinct frames. Counts in O(frames) only when segments overlap. */
    public long count() {
        if (!overlapping()) {
            long n = 0;
            for (Segment s : segments) {
                n += s.count();
            }
            return n;
        }
        long n = 0;
        PrimitiveIterator.OfInt it = intIterator();
        while (it.hasNext()) {
            it.nextInt();
            n++;
        }
        return n;
    }

    private boolean overlapping() {
        for (int i = 0; i < segments.size(); i++) {
            for (int j = i + 1; j < segments.size(); j++) {
                Segment a = segments.get(i);
                Segment b = segments.get(j);
                if (a.start() <= b.last() && b.start() <= a.last()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Distinct frames in written order, as a stream. */
    public IntStream stream() {
        return StreamSupport.intStream(
                java.util.Spliterators.spliteratorUnknownSize(intIterator(),
                        java.util.Spliterator.ORDERED | java.util.Spliterator.DISTINCT
                                | java.util.Spliterator.NONNULL),
                false);
    }

    /**
     * Distinct frames in written order as a list.
     *
     * @throws IllegalStateException when there are more than {@code limit} frames
     */
    public List<Integer> toList(int limit) {
        long n = count();
        if (n > limit) {
            throw new IllegalStateException("frame range " + this + " has " + n + " frames, more than " + limit);
        }
        List<Integer> list = new ArrayList<>((int) n);
        stream().forEach(list::add);
        return Collections.unmodifiableList(list);
    }

    @Override
    public Iterator<Integer> iterator() {
        return intIterator();
    }

    /** Iterator over distinct frames in written order; an earlier segment's frames are skipped later. */
    public PrimitiveIterator.OfInt intIterator() {
        return new PrimitiveIterator.OfInt() {
            private int segment = 0;
            private long next = segments.get(0).start();
            private boolean ready = false;

            private boolean advance() {
                while (segment < segments.size()) {
                    Segment s = segments.get(segment);
                    while (next <= s.end()) {
                        int candidate = (int) next;
                        if (!seenBefore(candidate, segment)) {
                            return true;
                        }
                        next += s.step();
                    }
                    segment++;
                    if (segment < segments.size()) {
                        next = segments.get(segment).start();
                    }
                }
                return false;
            }

            private boolean seenBefore(int frame, int upTo) {
                for (int i = 0; i < upTo; i++) {
                    if (segments.get(i).contains(frame)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public boolean hasNext() {
                if (!ready) {
                    ready = advance();
                }
                return ready;
            }

            @Override
            public int nextInt() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                int value = (int) next;
                next += segments.get(segment).step();
                return value;
            }
        };
    }

    /** The expression in canonical grammar form; {@code parse(toString())} gives an equal range. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(s);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameRange other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }
}
