/**
 * Which state a list reads, decided from its query as kube-apiserver does (ValidateListOptions, the
 * cacher's shouldDelegateList, etcd3's GetList): `resourceVersionMatch=Exact`, a paged list at a
 * resourceVersion (the legacy exact read) and a continue token read the revision named, which is 410
 * once compacted; everything else (unset, "0", NotOlderThan) reads the current state. client-go
 * reflectors (kubectl wait, Flux's controllers) relist with their last resourceVersion and limit=500
 * and, on that 410, relist from scratch; the Python client's and client-node's list calls pass the same parameters.
 */
import { badRequest, continueExpired, invalid, type StatusCause } from "../status.js";
import { type ContinueToken, decodeContinue, encodeContinue } from "./pagination.js";

export interface ListQuery {
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
  limit: number;
  continue: string | undefined;
}

/** `current`: now (after the 504 check of a future resourceVersion); `revision`: the state at that resourceVersion. */
export type ListRead = { at: "current"; start?: string } | { at: "revision"; resourceVersion: number; start?: string };

/** 422 ListOptions for the combinations the real server forbids (apimachinery ValidateListOptions). */
function validate(query: ListQuery): void {
  const match = query.resourceVersionMatch;
  if (!match) return;
  const causes: StatusCause[] = [];
  const forbidden = (message: string) =>
    causes.push({ reason: "FieldValueForbidden", field: "resourceVersionMatch", message: `Forbidden: ${message}` });
  if (!query.resourceVersion) forbidden("resourceVersionMatch is forbidden unless resourceVersion is provided");
  if (query.continue) forbidden("resourceVersionMatch is forbidden when continue is provided");
  if (match !== "Exact" && match !== "NotOlderThan")
    causes.push({
      reason: "FieldValueNotSupported",
      field: "resourceVersionMatch",
      message: `Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan", ""`,
    });
  if (match === "Exact" && query.resourceVersion === "0") forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  if (causes.length > 0) throw invalid("ListOptions.meta.k8s.io", "", causes);
}

/** Decides the read; `oldest` is the oldest resourceVersion still readable (the compacted revision). */
export function listReadOf(query: ListQuery, oldest: number): ListRead {
  validate(query);
  if (query.continue) {
    if (query.resourceVersion && query.resourceVersion !== "0")
      throw badRequest("specifying resource version is not allowed when using continue");
    const token: ContinueToken = decodeContinue(query.continue);
    if (token.rv < 0) return { at: "current", start: token.start };
    if (token.rv < oldest) throw continueExpired(encodeContinue({ rv: -1, start: token.start }));
    return { at: "revision", resourceVersion: token.rv, start: token.start };
  }
  const requested = query.resourceVersion ? Number(query.resourceVersion) : 0;
  const exact = query.resourceVersionMatch === "Exact" || (!query.resourceVersionMatch && query.limit > 0 && requested > 0);
  return exact ? { at: "revision", resourceVersion: requested } : { at: "current" };
}
