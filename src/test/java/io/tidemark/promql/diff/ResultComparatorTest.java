package io.tidemark.promql.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.promql.diff.PromApiClient.Answer;
import io.tidemark.promql.diff.ResultComparator.Order;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparator must tell every kind of difference from an equal answer, or the differential suite proves nothing. */
class ResultComparatorTest {

    private static final String VECTOR = """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"up","instance":"a"},"value":[1700000000.123,"1"]},
              {"metric":{"__name__":"up","instance":"b"},"value":[1700000000.123,"0.30000000000000004"]},
              {"metric":{"__name__":"up","instance":"c"},"value":[1700000000.123,"NaN"]},
              {"metric":{"__name__":"up","instance":"d"},"value":[1700000000.123,"+Inf"]}]}}""";

    private static final String MATRIX = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"job":"a"},"values":[[1700000000,"1"],[1700000015,"2"],[1700000030,"-Inf"]]},
              {"metric":{"job":"b"},"values":[[1700000000,"5"],[1700000030,"6"]]}]}}""";

    private static Answer ok(String body) {
        return new Answer(200, body);
    }

    private static List<String> diff(String reference, String candidate, Order order) {
        return ResultComparator.compare(ok(reference), ok(candidate), order);
    }

    @Test
    void anAnswerEqualsItself() {
        assertEquals(List.of(), diff(VECTOR, VECTOR, Order.NONE));
        assertEquals(List.of(), diff(MATRIX, MATRIX, Order.BY_LABELS));
    }

    @Test
    void instantVectorsAreComparedAsSetsButSortedResultsInOrder() {
        String reordered = VECTOR.replace("\"instance\":\"a\"", "\"instance\":\"x\"")
                .replace("\"instance\":\"d\"", "\"instance\":\"a\"").replace("\"instance\":\"x\"", "\"instance\":\"d\"")
                .replace("[1700000000.123,\"1\"]", "[1700000000.123,\"+Inf\"]")
                .replace("[1700000000.123,\"+Inf\"]}]", "[1700000000.123,\"1\"]}]");
        // a and d swapped places together with their values: the same set in another order
        assertEquals(List.of(), diff(VECTOR, reordered, Order.NONE));
        List<String> sorted = diff(VECTOR, reordered, Order.BY_VALUE);
        assertEquals(1, sorted.size(), sorted.toString());
        assertTrue(sorted.get(0).startsWith("order: value 0"), sorted.toString());
    }

    @Test
    void aPerturbedValueIsCaughtButRoundingNoiseIsNot() {
        List<String> perturbed = diff(VECTOR, VECTOR.replace("0.30000000000000004", "0.300000001"), Order.NONE);
        assertEquals(1, perturbed.size(), perturbed.toString());
        assertTrue(perturbed.get(0).contains("instance=\"b\"") && perturbed.get(0).contains("0.300000001"),
                perturbed.toString());
        assertEquals(List.of(), diff(VECTOR, VECTOR.replace("0.30000000000000004", "0.3000000000000001"),
                Order.NONE));
    }

    @Test
    void nanEqualsOnlyNanAndInfinitiesOnlyThemselves() {
        assertEquals(1, diff(VECTOR, VECTOR.replace("\"NaN\"", "\"0\""), Order.NONE).size());
        assertEquals(1, diff(VECTOR, VECTOR.replace("\"+Inf\"", "\"-Inf\""), Order.NONE).size());
        assertEquals(1, diff(VECTOR, VECTOR.replace("\"+Inf\"", "\"1.7976931348623157e308\""), Order.NONE).size());
        // Java's spelling is not the API's
        assertEquals(1, diff(VECTOR, VECTOR.replace("\"+Inf\"", "\"Infinity\""), Order.NONE).size());
    }

    @Test
    void aMissingSeriesIsCaught() {
        String withoutB = VECTOR.replace(
                "{\"metric\":{\"__name__\":\"up\",\"instance\":\"b\"},\"value\":[1700000000.123,\"0.30000000000000004\"]},",
                "");
        List<String> d = diff(VECTOR, withoutB, Order.NONE);
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("missing in tidemark: {__name__=\"up\", instance=\"b\"}"), d.toString());
    }

    @Test
    void anExtraLabelIsCaught() {
        List<String> d = diff(VECTOR, VECTOR.replace("\"instance\":\"c\"", "\"instance\":\"c\",\"job\":\"x\""),
                Order.NONE);
        assertEquals(2, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("missing in tidemark: {__name__=\"up\", instance=\"c\"}"), d.toString());
        assertTrue(d.get(1).startsWith("extra in tidemark: {__name__=\"up\", instance=\"c\", job=\"x\"}"),
                d.toString());
    }

    @Test
    void aWrongResultTypeIsCaught() {
        String scalar = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.123,\"1\"]}}";
        assertEquals(List.of("resultType: prometheus vector, tidemark scalar"), diff(VECTOR, scalar, Order.NONE));
        assertEquals(List.of(), diff(scalar, scalar, Order.NONE));
        assertEquals(1, diff(scalar, scalar.replace("1700000000.123", "1700000000.124"), Order.NONE).size());
    }

    @Test
    void matrixPointsAndRangeOrderAreCompared() {
        List<String> missingPoint = diff(MATRIX, MATRIX.replace("[1700000015,\"2\"],", ""), Order.BY_LABELS);
        assertEquals(List.of("{job=\"a\"} t=1700000015: prometheus 2, tidemark has no point"), missingPoint);
        List<String> shifted = diff(MATRIX, MATRIX.replace("[1700000030,\"6\"]", "[1700000045,\"6\"]"),
                Order.BY_LABELS);
        assertEquals(2, shifted.size(), shifted.toString());
        String swapped = MATRIX.replace("\"job\":\"a\"", "\"job\":\"x\"").replace("\"job\":\"b\"", "\"job\":\"a\"")
                .replace("\"job\":\"x\"", "\"job\":\"b\"");
        String reordered = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"job\":\"b\"},\"values\":[[1700000000,\"5\"],[1700000030,\"6\"]]},"
                + "{\"metric\":{\"job\":\"a\"},\"values\":[[1700000000,\"1\"],[1700000015,\"2\"],[1700000030,\"-Inf\"]]}]}}";
        assertEquals(List.of(), diff(MATRIX, reordered, Order.NONE));
        List<String> order = diff(MATRIX, reordered, Order.BY_LABELS);
        assertEquals(1, order.size(), order.toString());
        assertTrue(order.get(0).startsWith("order: series 0"), order.toString());
        assertTrue(diff(MATRIX, swapped, Order.NONE).size() > 0, "values moved to other series");
    }

    @Test
    void errorsAreEqualByTypeAndStatus() {
        Answer badData = new Answer(400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected\"}");
        Answer otherWording = new Answer(400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: something\"}");
        Answer execution = new Answer(422,
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many\"}");
        assertEquals(List.of(), ResultComparator.compare(badData, otherWording, Order.NONE));
        assertEquals(1, ResultComparator.compare(badData, execution, Order.NONE).size());
        assertEquals(1, ResultComparator.compare(badData, ok(VECTOR), Order.NONE).size());
        assertEquals(1, ResultComparator.compare(ok(VECTOR), execution, Order.NONE).size());
        assertEquals(1, ResultComparator.compare(ok(VECTOR), new Answer(500, "<html>oops</html>"), Order.NONE).size());
    }

    @Test
    void duplicateLabelSetsAreCaught() {
        String doubled = VECTOR.replace("\"instance\":\"c\"", "\"instance\":\"b\"");
        assertTrue(diff(VECTOR, doubled, Order.NONE).stream().anyMatch(l -> l.contains("appears twice")));
    }
}
