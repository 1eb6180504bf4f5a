/** Resume rules broken by the proxy (spec/resume.md). */
import { defineMutation } from "../support/proxy-hooks.js";

const lastClientType = {};

/** The resume mutations, one per rule. */
export const resumeMutations = [
  defineMutation({
    name: "replaced-close-1000",
    rule: "RESUME-3",
    description: "closes a replaced connection with 1000 instead of 4002",
    serverClose(close) {
      if (close.code === 4002) close.code = 1000;
    },
  }),
  defineMutation({
    name: "resumed-lists-nothing",
    rule: "RESUME-5",
    description: "resumes the session but lists none of its responses in session.resumed",
    fromServer(e) {
      if (e.type !== "session.resumed") return undefined;
      e.responses = [];
      return e;
    },
  }),
  defineMutation({
    name: "resume-unknown-miscoded",
    rule: "RESUME-9",
    description: "answers response.resume of an unknown response with resume_position_unavailable",
    fromClient(m, conn) {
      conn.state(lastClientType, () => ({ type: "" })).type = m.event?.type ?? "";
      return undefined;
    },
    fromServer(e, conn) {
      const last = conn.state(lastClientType, () => ({ type: "" })).type;
      if (last !== "response.resume" || e.error?.code !== "response_not_found") return undefined;
      e.error.code = "resume_position_unavailable";
      e.status = 409;
      return e;
    },
  }),
  defineMutation({
    name: "lost-session-runs-on",
    rule: "RESUME-13",
    description: "keeps a lost hotline.v1 connection's responses running past the resume window",
    setting: "resume-window",
    clientClose(close, conn) {
      return close.dropped && conn.profile === "hotline.v1" ? "keep-upstream" : "relay";
    },
  }),
  defineMutation({
    name: "core-close-runs-on",
    rule: "RESUME-14",
    description: "lets a core connection's response run to completion after the client closed",
    clientClose(_close, conn) {
      return conn.profile === "core" && conn.inFlight.size > 0 ? "keep-upstream" : "relay";
    },
  }),
];
