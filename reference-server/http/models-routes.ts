/**
 * `GET /v1/models` and `GET /v1/models/{id}` (HTTP-17): the models the server serves, in the
 * hosted API's shape, so clients that look before they ask (`codex doctor`, model pickers) find
 * the server reachable and know what to send.
 */
import type { ServerResponse } from "node:http";
import { type Model, type ModelList, ProtocolError } from "../../src/protocol/index.js";
import { sendJson } from "./body.js";

/** The served models, listed in the order given. */
export class ModelCatalog {
  readonly #models: readonly Model[];

  /** `created` is the server's start in Unix seconds. */
  constructor(names: readonly string[], created: number) {
    this.#models = names.map((id) => ({ id, object: "model", created, owned_by: "hotline" }));
  }

  /** The body of `GET /v1/models`. */
  list(): ModelList {
    return { object: "list", data: [...this.#models] };
  }

  /** One model, or `model_not_found`. */
  get(id: string): Model {
    const model = this.#models.find((m) => m.id === id);
    if (!model) {
      throw new ProtocolError("model_not_found", `The model '${id}' is not served here.`, {
        param: "model",
      });
    }
    return model;
  }
}

const MODEL_PATH = /^\/v1\/models(?:\/([^/]+))?$/;

/** Answers a models route; false when `path` is not one. */
export function serveModels(path: string, res: ServerResponse, catalog: ModelCatalog): boolean {
  const match = MODEL_PATH.exec(path);
  if (!match) return false;
  const id = match[1];
  let name: string | undefined;
  try {
    name = id === undefined ? undefined : decodeURIComponent(id);
  } catch {
    name = id; // a malformed escape names no served model: model_not_found below
  }
  sendJson(res, 200, name === undefined ? catalog.list() : catalog.get(name));
  return true;
}
