/**
 * `GET /openapi/v2` for kubectl 1.27 and 1.28, which fetch it (as protobuf only) before `create -f`,
 * `apply` and `diff` and give up when it is missing. Schema-less like our OpenAPI v3: every PATCH
 * operation names its group/version/kind and takes `fieldValidation`, so kubectl leaves validation to
 * the server. The gnostic OpenAPIv2 field numbers are the ones client-go decodes.
 */
import type { Registry } from "../registry/registry.js";
import type { ResourceType } from "../types.js";
import { groupVersionPath } from "./openapi.js";
import { encodeMessage, type ProtoField } from "./protobuf-write.js";
import { EMULATED_GIT_VERSION } from "./version.js";

/** The media type kubectl asks for (`@`: not a valid MIME token, so the answer is labelled with the dotted form, as kube-openapi does). */
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
export const OPENAPI_V2_PROTOBUF_ANSWER = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

const PATCH_QUERY_PARAMS = ["dryRun", "fieldManager", "fieldValidation", "force"];

/** The item paths (where PATCH lives) of every served type in every served version. */
function patchPaths(registry: Registry): { path: string; type: ResourceType; version: string }[] {
  const out: { path: string; type: ResourceType; version: string }[] = [];
  for (const type of registry.all()) {
    for (const version of type.versions) {
      const prefix = `/${groupVersionPath(type.group, version)}`;
      const scope = type.namespaced ? "/namespaces/{namespace}" : "";
      out.push({ path: `${prefix}${scope}/${type.resource}/{name}`, type, version });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const gvkYaml = (type: ResourceType, version: string): string => `group: "${type.group}"\nkind: ${type.kind}\nversion: ${version}\n`;

/** The document as JSON (swagger 2.0), for clients that ask for JSON. */
export function openapiV2Json(registry: Registry): object {
  const paths: Record<string, object> = {};
  for (const { path, type, version } of patchPaths(registry)) {
    paths[path] = {
      patch: {
        operationId: `patch${type.kind}`,
        parameters: PATCH_QUERY_PARAMS.map((name) => ({ name, in: "query", type: "string", uniqueItems: true })),
        responses: { "200": { description: "OK" } },
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: type.group, kind: type.kind, version },
      },
    };
  }
  return { swagger: "2.0", info: { title: "Kubernetes", version: EMULATED_GIT_VERSION }, paths, definitions: {} };
}

/** The same document in gnostic's protobuf encoding. */
export function openapiV2Protobuf(registry: Registry): Buffer {
  const queryParam = (name: string): ProtoField => [
    8,
    [
      [
        1,
        [
          [
            2,
            [
              [
                3,
                [
                  [2, "query"],
                  [4, name],
                  [6, "string"],
                  [20, true],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ];
  const pathItems: ProtoField[] = patchPaths(registry).map(({ path, type, version }) => [
    2,
    [
      [1, path],
      [
        2,
        [
          [
            8,
            [
              [5, `patch${type.kind}`],
              ...PATCH_QUERY_PARAMS.map(queryParam),
              [
                9,
                [
                  [
                    1,
                    [
                      [1, "200"],
                      [2, [[1, [[1, "OK"]]]]],
                    ],
                  ],
                ],
              ],
              [
                13,
                [
                  [1, "x-kubernetes-action"],
                  [2, [[2, "patch\n"]]],
                ],
              ],
              [
                13,
                [
                  [1, "x-kubernetes-group-version-kind"],
                  [2, [[2, gvkYaml(type, version)]]],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ]);
  return encodeMessage([
    [1, "2.0"],
    [
      2,
      [
        [1, "Kubernetes"],
        [2, EMULATED_GIT_VERSION],
      ],
    ],
    [8, pathItems],
  ]);
}
