// ESLint flat config: the recommended JavaScript and typescript-eslint rules, and the folder
// arrows of the architecture (see LAYERS below); formatting is Prettier's job, so no stylistic
// rules here.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The arrows between folders (README "Layout"): what each folder may NOT import, as regular
// expressions over the import specifier, checked by `no-restricted-imports` (static imports and
// re-exports) and `no-restricted-syntax` (dynamic `import()`). A specifier that leaves a
// top-level folder names the folder it enters, so `(^|/)bench/` is any path into bench/ from
// anywhere; inside reference-server/ the layers are siblings, so `^\.\./` is "outside my layer".
// test/ is not restricted: a test may reach into what it tests.

/** Any import into top-level folder `folder`. */
const into = (folder) => `(^|/)${folder}/`;
/** An import into `folder` other than its public entry points (`index.ts`, ...). */
const pastEntry = (folder, entries) => `(^|/)${folder}/(?!(${entries.join("|")})\\.js$)`;
/** An import from src/ outside the listed src/ folders. */
const srcExcept = (folders) => `(^|/)src/(?!(${folders.join("|")})/)`;

const NEVER_TEST = [into("test"), "production code never imports the tests"];
const NEVER_SCRIPTS = [into("scripts"), "scripts/ are tools at the top: nothing imports them"];

/** src/: the library. Only src/cli, the one composition root, starts the others. */
const LIBRARY = [
  [into("reference-server"), "src/ is the library: reference-server/ depends on it, not back"],
  [into("conformance"), "src/ is the library: conformance/ depends on it, not back"],
  [into("bench"), "src/ is the library: bench/ depends on it, not back"],
  NEVER_SCRIPTS,
  NEVER_TEST,
];
/** reference-server/, everywhere in it: src/protocol and src/util only; no runner, no bench. */
const SERVER = [
  [into("conformance"), "the reference server never depends on the conformance runner"],
  [into("bench"), "the reference server never depends on the bench"],
  [srcExcept(["protocol", "util"]), "reference-server/ uses src/protocol and src/util only"],
  NEVER_SCRIPTS,
  NEVER_TEST,
];
/**
 * Inside reference-server/: bindings (http/, websocket/) -> session/ -> responses/ -> backend/,
 * with policy/ (authentication, per-principal limits) beside responses/ for the layers above
 * it. fault-injection/ wraps the bindings and the session from outside; only the root
 * (index.ts, cli.ts) composes it in. The root imports the layers and nothing imports the root.
 */
const serverLayer = (layer, allowed) => {
  // A folder ("responses/") or a root file ("limits.js"), as a specifier after "../".
  const pattern = (name) => (name.endsWith("/") ? name : `${name.replaceAll(".", "\\.")}$`);
  const ok = [...allowed.map(pattern), "\\.\\./src/"];
  const what = allowed.length > 0 ? allowed.join(", ") : "nothing else of the server";
  return [
    `^\\.\\./(?!(${ok.join("|")}))`,
    `reference-server/${layer}/ may import ${what} (its layer)`,
  ];
};
const LAYERS = [
  {
    files: ["src/util/**"],
    forbid: [...LIBRARY, ["^\\.\\./", "src/util is the bottom: it imports nothing of the project"]],
  },
  {
    files: ["src/protocol/**"],
    forbid: [...LIBRARY, ["^\\.\\./(?!util/)", "src/protocol imports only src/util"]],
  },
  {
    files: ["src/client/**", "src/netsim/**", "src/spec/**", "src/testing/**"],
    forbid: [
      ...LIBRARY,
      [
        "^\\.\\./(cli|client|netsim|spec|testing)/",
        "a src/ module uses src/protocol and src/util only",
      ],
    ],
  },
  {
    files: ["src/*.ts"],
    forbid: [
      ...LIBRARY,
      [
        "^\\./(cli|testing)/",
        "the package entry exports the library, not the CLI or the testing tools",
      ],
    ],
  },
  {
    // The composition root: other folders through their entry points only.
    files: ["src/cli/**"],
    forbid: [
      [
        pastEntry("reference-server", ["index", "cli"]),
        "the CLI uses reference-server/index.ts or cli.ts",
      ],
      [pastEntry("bench", ["index", "cli"]), "the CLI uses bench/index.ts or cli.ts"],
      [pastEntry("conformance", ["index"]), "the CLI uses conformance/index.ts"],
      NEVER_SCRIPTS,
      NEVER_TEST,
    ],
  },
  { files: ["reference-server/*.ts"], forbid: SERVER },
  {
    files: ["reference-server/policy/**"],
    forbid: [...SERVER, serverLayer("policy", ["responses/"])],
  },
  {
    files: ["reference-server/fault-injection/**"],
    forbid: [...SERVER, serverLayer("fault-injection", ["websocket/", "session/", "responses/"])],
  },
  { files: ["reference-server/backend/**"], forbid: [...SERVER, serverLayer("backend", [])] },
  {
    files: ["reference-server/responses/**"],
    forbid: [...SERVER, serverLayer("responses", ["backend/"])],
  },
  {
    files: ["reference-server/telemetry/**"],
    forbid: [...SERVER, serverLayer("telemetry", ["backend/", "responses/"])],
  },
  {
    files: ["reference-server/session/**"],
    forbid: [...SERVER, serverLayer("session", ["responses/", "policy/"])],
  },
  {
    files: ["reference-server/fleet/**"],
    forbid: [...SERVER, serverLayer("fleet", ["responses/", "backend/", "telemetry/"])],
  },
  {
    files: ["reference-server/http/**"],
    forbid: [...SERVER, serverLayer("http", ["responses/", "telemetry/", "policy/"])],
  },
  {
    files: ["reference-server/websocket/**"],
    forbid: [
      ...SERVER,
      serverLayer("websocket", ["session/", "responses/", "telemetry/", "policy/"]),
    ],
  },
  {
    // The runner talks to servers only over the network.
    files: ["conformance/**"],
    forbid: [
      [into("reference-server"), "the conformance runner talks to servers only over the network"],
      [into("bench"), "the conformance runner never depends on the bench"],
      [
        srcExcept(["protocol", "util", "spec"]),
        "conformance/ uses src/protocol, src/spec and src/util only",
      ],
      NEVER_SCRIPTS,
      NEVER_TEST,
    ],
  },
  {
    files: ["bench/**"],
    forbid: [
      [
        pastEntry("reference-server", ["index"]),
        "the bench uses the reference server's public entry, reference-server/index.ts",
      ],
      [into("conformance"), "the bench never depends on the conformance runner"],
      [
        srcExcept(["protocol", "util", "netsim", "testing"]),
        "bench/ uses src/protocol, util, netsim and testing only",
      ],
      NEVER_SCRIPTS,
      NEVER_TEST,
    ],
  },
  {
    files: ["scripts/**"],
    forbid: [
      [
        pastEntry("reference-server", ["index"]),
        "scripts use the reference server's public entry, reference-server/index.ts",
      ],
      [pastEntry("bench", ["index"]), "scripts use the bench's public entry, bench/index.ts"],
      [
        into("conformance"),
        "scripts do not import the conformance runner (`hotline conform` runs it)",
      ],
      NEVER_TEST,
    ],
  },
];

/** Specifiers are string literals, so that the arrows above can be checked (no variable imports). */
const VARIABLE_IMPORT = {
  selector: "ImportExpression[source.type!='Literal']",
  message:
    "import() takes a string literal, so the folder arrows can check it (no variable imports)",
};

/** The config block of one folder: the same expressions for static and dynamic imports. */
function layerConfig({ files, forbid }, { variableImports = false } = {}) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: forbid.map(([regex, message]) => ({ regex, message, caseSensitive: true })) },
      ],
      "no-restricted-syntax": [
        "error",
        ...(variableImports ? [] : [VARIABLE_IMPORT]),
        // esquery reads a regular expression up to the next "/", so slashes are written \x2F.
        ...forbid.map(([regex, message]) => ({
          selector: `ImportExpression[source.value=/${regex.replaceAll("/", "\\x2F")}/]`,
          message,
        })),
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: ["dist/", "site/", ".tap/", "node_modules/", "**/*.gen.ts", "schemas/bundle/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setImmediate: "readonly",
        clearImmediate: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        Buffer: "readonly",
        performance: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        structuredClone: "readonly",
        queueMicrotask: "readonly",
        fetch: "readonly",
        WebSocket: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        document: "readonly",
        window: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  ...LAYERS.map((layer) => layerConfig(layer)),
  // conform.ts loads a server module named on the command line through a variable (issue 13
  // asks for this to go); until then it is the one file allowed a variable import.
  layerConfig(
    {
      ...LAYERS.find((layer) => layer.files.includes("src/cli/**")),
      files: ["src/cli/conform.ts"],
    },
    { variableImports: true },
  ),
);
