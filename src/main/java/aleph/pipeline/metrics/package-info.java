/**
 * The scoring fan-out and its value coercions, plus the pipeline's counters.
 *
 * <p>Coercions are the reference's Python built-ins on {@code json.loads} output (DOMAIN 2.4), in
 * {@link aleph.pipeline.metrics.PyValues} and checked against CPython's own answers:
 *
 * <table>
 *   <caption>Per-entry coercion</caption>
 *   <tr><th>value</th><th>node_id (str)</th><th>measured_at</th><th>float column</th><th>int column</th></tr>
 *   <tr><td>missing / null</td><td>skip entry</td><td>skip entry</td><td>null</td><td>null</td></tr>
 *   <tr><td>{@code ""}, {@code 0}, {@code false}, {@code []}, {@code {}}</td><td>skip entry</td>
 *       <td>{@code false}/{@code 0} = 1970-01-01; others skip</td><td>{@code false} = 0.0; others null</td>
 *       <td>{@code false} = 0; others null</td></tr>
 *   <tr><td>{@code true}</td><td>{@code "True"}</td><td>1970-01-01T00:00:01Z</td><td>1.0</td><td>1</td></tr>
 *   <tr><td>number</td><td>Python {@code str}: {@code 123}, {@code 1.5}, {@code 1e+16}</td>
 *       <td>epoch seconds, rounded half-even to µs; skip outside years 1..9999</td><td>the number</td>
 *       <td>truncated toward zero ({@code 3.9} = 3, {@code -2.7} = -2)</td></tr>
 *   <tr><td>numeric string ({@code "42"}, {@code " 7 "}, {@code "1e3"}, {@code "1_000"})</td><td>as is</td>
 *       <td>parsed</td><td>parsed</td><td>integers only: {@code "42.0"} is null</td></tr>
 *   <tr><td>{@code "nan"}, {@code "inf"}, {@code "-Infinity"}</td><td>as is</td><td>skip entry</td>
 *       <td>NaN / ±Infinity</td><td>null</td></tr>
 *   <tr><td>other string, array, object</td><td>as is / Python repr</td><td>skip entry</td><td>null</td>
 *       <td>null</td></tr>
 *   <tr><td>integer outside int32</td><td>—</td><td>—</td><td>—</td>
 *       <td>null, counted (DESIGN 5.6; the reference fails the whole message)</td></tr>
 * </table>
 *
 * <p>An entry that is not an object is skipped; {@code metrics} that is not a non-empty object, or
 * {@code crn}/{@code ccn} that is not an array, yields nothing.
 */
package aleph.pipeline.metrics;
