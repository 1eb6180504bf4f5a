/**
 * What real clients send besides the Open Responses members (RESP-23): the shapes the Codex
 * CLI 0.171.0 put on every create, shared by the WebSocket and HTTP cases.
 */
/** Create-body members the hosted API accepts and Open Responses does not define. */
export const CLIENT_FIELDS = {
  client_metadata: { thread_id: "conform-thread", "x-codex-window-id": "conform-thread:0" },
  user: "conform",
  prompt_cache_retention: "in_memory",
  include: ["reasoning.encrypted_content"],
  reasoning: { summary: "auto" },
  parallel_tool_calls: true,
  tool_choice: "auto",
  tools: [
    {
      type: "function",
      name: "read_file",
      description: "Reads a file.",
      strict: false,
      parameters: { type: "object", properties: { path: { type: "string" } } },
    },
    {
      type: "namespace",
      name: "agents",
      description: "Sub-agent tools.",
      tools: [{ type: "function", name: "spawn_agent", parameters: { type: "object" } }],
    },
    { type: "web_search", external_web_access: false },
  ],
};
