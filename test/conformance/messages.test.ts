/**
 * Failure messages say what was expected and what was seen (CONF-17): the error envelope's
 * description names each member, "absent" when the server left it out.
 */
import t from "tap";
import { describeErrorEnvelope } from "../../conformance/harness/ws-client.js";

t.test("an error envelope is described by what it holds", async (t) => {
  t.equal(
    describeErrorEnvelope({ type: "error", error: { code: "invalid_event", message: "bad" } }),
    'received status absent, error.code "invalid_event", error.message "bad"',
  );
  t.equal(
    describeErrorEnvelope({ type: "error", status: 400 }),
    "received status 400 and error absent",
  );
  t.equal(
    describeErrorEnvelope({ type: "error", status: "400", error: "boom" }),
    'received status "400" and error "boom"',
  );
  t.notMatch(describeErrorEnvelope({ type: "error" }), /undefined/);
});
