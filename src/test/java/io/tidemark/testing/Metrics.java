package io.tidemark.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Tidemark's own counters from /q/metrics, as an operator would. */
public final class Metrics {

    private Metrics() {
    }

    /** The sum of every sample of a Prometheus metric (all tag combinations); 0 when absent. */
    public static double value(String name) {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
