/**
 * The message gate: which Aleph messages the pipeline acts on, decided from the envelope first and the content
 * only for survivors.
 *
 * <ul>
 *   <li><b>Scoring</b> (DOMAIN 2.2): {@code type = POST}, envelope {@code channel = scoring.channel} (null never
 *       matches), {@code content.type = scoring.metrics.post.type}, {@code content.address} in
 *       {@code scoring.addresses} (exact, case-sensitive; the envelope sender is not looked at), and
 *       {@code content.content} a JSON object (an empty one is accepted and yields no rows).</li>
 *   <li><b>Credit candidates</b> (DOMAIN 3.1): {@code type = POST}, {@code content.type} in
 *       {@code credit.post.types}, envelope channel in {@code credit.channels} (any channel when that list is
 *       empty), {@code content.content} truthy. The issuer whitelist is the ledger's decision.</li>
 *   <li><b>FORGET</b> (DOMAIN 1.3): any channel; {@code hashes} and {@code aggregates} lists of at most 1000
 *       well-formed item hashes, not both empty; {@code reason} a string of at most 1000 characters or null.
 *       Only {@code hashes} are forgotten (see {@link aleph.pipeline.message.ForgetTargets}).</li>
 * </ul>
 *
 * <p>Content is the inline {@code item_content} text or the API-shaped {@code content} object; a missing or null
 * {@code content.address} / {@code content.time} defaults to the envelope sender / time (DOMAIN 1.1). A
 * candidate whose content the reference would refuse is invalid (counted, logged, dropped): not a JSON object,
 * NaN/Infinity literals (the reference cannot store them), a non-string address, a POST key other than
 * address/time/type/ref/content, a POST time outside [0, 9223372036], malformed FORGET targets.
 */
package aleph.pipeline.message;
