// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.core.FrameRange;
import org.tessera.core.FrameRangeException;

/** The frames grammar {@value FrameRange#GRAMMAR}, tested hard. */
class FrameRangeTest {

    private static List<Integer> frames(String expression) {
        return FrameRange.parse(expression).toList(1_000_000);
    }

    private static List<Integer> list(String spaceSeparated) {
        if (spaceSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(spaceSeparated.trim().split(" +")).map(Integer::valueOf).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0 0 1              | 0",
            "7                  | 7",
            "1 5                | 1 2 3 4 5",
            "1 10 2             | 1 3 5 7 9",
            "1 10 2,20          | 1 3 5 7 9 20",
            "1 10 3             | 1 4 7 10",
            "1 11 3             | 1 4 7 10",
            "-5 5 5             | -5 0 5",
            "-3 -1              | -3 -2 -1",
            "+2 4               | 2 3 4",
            "10,1               | 10 1",
            "1 5,3 7            | 1 2 3 4 5 6 7",
            "1 10 2,2 10 2      | 1 3 5 7 9 2 4 6 8 10",
            "1 3,1 3,2          | 1 2 3",
            "5,5,5              | 5",
            "'  1   4  '        | 1 2 3 4",
            "'1 2 , 8'          | 1 2 8",
            "1 100 50           | 1 51",
            "2147483646 2147483647 | 2147483646 2147483647",
            "-2147483648 -2147483647 | -2147483648 -2147483647",
            "1 2147483647 2147483647 | 1",
    })
    void validExpressionsExpand(String expression, String expected) {
        assertEquals(list(expected), frames(expression));
    }

    @Test
    void tabsAndNewlinesAreWhitespace() {
        assertEquals(List.of(1, 2, 3, 9), frames("\t1\t3\n,\r\n9 "));
    }

    @ParameterizedTest
    @ValueSource(strings = { "1 10 2,20", "-5 5 5", "1 5,3 7", "7", "0 0", "1 100 2,200", "1 3,1 3,2" })
    void formatParsesBackToEqualRange(String expression) {
        FrameRange range = FrameRange.parse(expression);
        FrameRange again = FrameRange.parse(range.toString());
        assertEquals(range, again);
        assertEquals(range.toList(1000), again.toList(1000));
    }

    @Test
    void canonicalFormIsShortest() {
        assertEquals("1 10 2,20", FrameRange.parse(" 1  10  2 , 20 20 1 ").toString());
        assertEquals("0", FrameRange.parse("0 0 1").toString());
        assertEquals("3 9", FrameRange.parse("3 9 1").toString());
    }

    @Test
    void countIsExactWithAndWithoutOverlaps() {
        assertEquals(6, FrameRange.parse("1 10 2,20").count());
        assertEquals(7, FrameRange.parse("1 5,3 7").count());
        assertEquals(2_000_000_001L, FrameRange.parse("0 2000000000").count());
        assertEquals(4_294_967_296L, FrameRange.parse("-2147483648 2147483647").count());
    }

    @Test
    void hugeRangesAreLazy() {
        FrameRange range = FrameRange.parse("0 2000000000");
        assertEquals(List.of(0, 1, 2), range.stream().limit(3).boxed().toList());
        assertThrows(IllegalStateException.class, () -> range.toList(1000));
        assertTrue(range.contains(1_999_999_999));
    }

    @Test
    void containsFirstLast() {
        FrameRange range = FrameRange.parse("1 10 3,-4");
        assertTrue(range.contains(7));
        assertFalse(range.contains(8));
        assertTrue(range.contains(-4));
        assertEquals(-4, range.first());
        assertEquals(10, range.last());
        assertEquals(4, FrameRange.parse("1 5 3").last());
    }

    @ParameterizedTest(name = "\"{0}\" fails at column {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "x                  | 1 | is not a whole number",
            "1 x                | 3 | is not a whole number",
            "1-5                | 1 | is not a whole number",
            "1..5               | 1 | is not a whole number",
            "1e3                | 1 | is not a whole number",
            "0x10               | 1 | is not a whole number",
            "1.5                | 1 | is not a whole number",
            "-                  | 1 | is not a frame number",
            "1 +                | 3 | is not a frame number",
            "'1,'               | 3 | empty segment",
            "',1'               | 1 | empty segment",
            "'1,,2'             | 3 | empty segment",
            "'1, ,2'            | 3 | empty segment",
            "1 2 3 4            | 7 | at most three numbers",
            "5 1                | 1 | is before start frame",
            "1 5 0              | 1 | must be a positive number",
            "1 5 -1             | 1 | must be a positive number",
            "99999999999        | 1 | outside the frame number range",
            "1 2147483648       | 3 | outside the frame number range",
            "'1;2'              | 1 | is not a whole number",
            "'١٢'               | 1 | is not a whole number",
    })
    void garbageIsRejectedWithColumnAndGrammar(String expression, int column, String problem) {
        FrameRangeException e = assertThrows(FrameRangeException.class, () -> FrameRange.parse(expression));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains(FrameRange.GRAMMAR), "message names the grammar: " + e.getMessage());
        assertTrue(e.getMessage().contains(expression), "message quotes the input: " + e.getMessage());
    }

    @Test
    void emptyAndNullAreRejected() {
        assertThrows(FrameRangeException.class, () -> FrameRange.parse(""));
        assertThrows(FrameRangeException.class, () -> FrameRange.parse("   \t"));
        assertThrows(FrameRangeException.class, () -> FrameRange.parse(null));
    }

    @Test
    void absurdlyLongInputIsRejectedCheaply() {
        String longInput = "1,".repeat(100_000) + "1";
        FrameRangeException e = assertThrows(FrameRangeException.class, () -> FrameRange.parse(longInput));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void segmentsRejectBadValuesWhenBuiltInCode() {
        assertThrows(IllegalArgumentException.class, () -> FrameRange.of(5, 1));
        assertThrows(IllegalArgumentException.class, () -> FrameRange.of(1, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> FrameRange.of(List.of()));
        assertEquals(List.of(4), FrameRange.single(4).toList(10));
    }
}
